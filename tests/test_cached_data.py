"""localdir.cache.cached_data: each process keeps what it read for LOCAL_SECONDS, never past an invalidation."""

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
