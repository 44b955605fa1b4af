"""localdir.cache.cached_data: each process keeps what it read for LOCAL_SECONDS, never past an invalidation."""

import contextvars
import time

from django.core.cache import cache

from localdir import cache as localdir_cache
from localdir.cache import cached_data, invalidate_public_pages


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return [self.calls]


def test_the_process_keeps_what_it_read(monkeypatch):
    compute = Counter()
    first = cached_data("counter", compute)
    reads = []
    get = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *args: reads.append(key) or get(key, *args))
    assert cached_data("counter", compute) is first
    assert compute.calls == 1
    assert reads == [localdir_cache.GENERATION_KEY]  # the generation only: the value was not unpickled again


def test_an_invalidation_shows_at_once(db, django_capture_on_commit_callbacks):
    compute = Counter()
    assert cached_data("counter", compute) == [1]
    with django_capture_on_commit_callbacks(execute=True):
        invalidate_public_pages()
    assert cached_data("counter", compute) == [2]


def test_the_process_copy_expires(monkeypatch):
    compute = Counter()
    assert cached_data("counter", compute) == [1]
    key = f"data.{localdir_cache.generation()}.counter"
    cache.set(key, ["computed again by another process"])  # e.g. after a change made behind the models' back
    assert cached_data("counter", compute) == [1]
    later = time.time() + localdir_cache.LOCAL_SECONDS + 1
    monkeypatch.setattr(localdir_cache.time, "time", lambda: later)
    assert cached_data("counter", compute) == ["computed again by another process"]
    assert compute.calls == 1


def test_a_request_reads_the_generation_once(client, db, monkeypatch):
    """Each cached part of a page read the generation from the shared cache again (a round trip to Redis in
    production: 7 on the home page); a request now reads it once, and the next request reads it anew."""
    reads = []
    get = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *args: reads.append(key) or get(key, *args))
    client.get("/")
    reads.clear()
    assert client.get("/").status_code == 200
    assert reads.count(localdir_cache.GENERATION_KEY) == 1
    generation = cache.incr(localdir_cache.GENERATION_KEY)  # another process's invalidation
    reads.clear()
    client.get("/")
    assert reads.count(localdir_cache.GENERATION_KEY) == 1
    assert any(key.startswith(f"data.{generation}.") for key in reads)  # the page's data read under the new one


def test_an_invalidation_by_the_request_shows_in_the_rest_of_it(db, django_capture_on_commit_callbacks):
    localdir_cache._request_started()
    try:
        compute = Counter()
        assert cached_data("counter", compute) == [1]
        with django_capture_on_commit_callbacks(execute=True):
            invalidate_public_pages()
        assert cached_data("counter", compute) == [2]
    finally:
        localdir_cache._request_finished()


def test_a_context_copied_during_a_request_reads_the_generation_anew_after_it(db):
    """A thread started with a copy of the request's context (or any code run in one) shares what the request
    read; once the request is over it must read the generation from the cache again, not keep the request's."""
    localdir_cache._request_started()
    try:
        first = localdir_cache.generation()
        copied = contextvars.copy_context()
    finally:
        localdir_cache._request_finished()
    assert copied.run(localdir_cache.generation) == first
    later = cache.incr(localdir_cache.GENERATION_KEY)  # another process's invalidation
    assert copied.run(localdir_cache.generation) == later
