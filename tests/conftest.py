import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def angers():
    from tests.factories import CommuneFactory

    return CommuneFactory()


@pytest.fixture(autouse=True)
def _french(settings):
    """Each test starts in the site's default language: a request to /en/… leaves English active in the thread,
    and URLs reversed by the next test would otherwise carry the /en/ prefix."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache outlives each test's database: data cached by one test (filter choices, counts, the Mag's
    widgets: localdir.cache.cached_data) must not show in the next."""
    from django.core.cache import cache

    from localdir import cache as localdir_cache

    def forget():
        cache.clear()
        # A test that leaves a streamed response unread never finishes its request: the generation it read, and the
        # process's copies of cached data, would outlive the cache flush into the next test.
        localdir_cache._request_finished()
        localdir_cache._local.clear()

    forget()
    yield
    forget()


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Tests see every request rendered; tests/test_page_cache.py turns the cache on."""
    settings.PAGE_CACHE_SECONDS = 0
    # The maps' grid is a cache too, keyed on a generation that tests' transactions never move on:
    # tests/producers/test_maps.py turns it on.
    settings.MAP_GRID_SECONDS = 0


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Many tests create accounts or log in: the production hasher's deliberate slowness would dominate the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Clock:
    """Django's clock (django.utils.timezone.now: auto_now fields, the code's own `timezone.now()`, localdate) held
    still at a moment the test moves by hand. Signatures and the spam timer keep the real clock."""

    def __init__(self, monkeypatch, start):
        from django.utils import timezone

        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def travel(self, **delta):
        from datetime import timedelta

        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock starting on 1 March 2026 at 10:00 in Paris (09:00 UTC); `clock.travel(days=…)` moves it."""
    from datetime import UTC, datetime

    return Clock(monkeypatch, datetime(2026, 3, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def rate_limit_clock(monkeypatch):
    """django-ratelimit's clock held still for the test: it counts in fixed windows (per minute, per hour…, each
    address's window ending at its own moment), and a window ending between two of a test's requests starts the
    count again, so that the request expected past the rate passes (seen in CI). Only its clock: the spam timer,
    signatures and Django's `timezone.now` keep theirs. Every test that counts requests against a rate uses it."""
    import time
    from types import SimpleNamespace

    from django_ratelimit import core

    now = time.time()
    monkeypatch.setattr(core, "time", SimpleNamespace(time=lambda: now))
    return now


class FillClock:
    """The spam timer's clock (moderation.forms.traps reads time.time()), held still and moved by hand: a test waits the
    seconds a person takes to fill a form in without sleeping. Signatures keep the real clock."""

    def __init__(self, monkeypatch):
        import time
        from types import SimpleNamespace

        import moderation.forms.traps

        self.now = time.time()
        monkeypatch.setattr(moderation.forms.traps, "time", SimpleNamespace(time=lambda: self.now))

    def wait(self, seconds):
        self.now += seconds


@pytest.fixture
def fill_clock(monkeypatch):
    """`fill_clock.wait(seconds)`: that long has passed for the spam timer since the page was opened."""
    return FillClock(monkeypatch)


@pytest.fixture
def run_with_replica(tmp_path):
    """`run_with_replica(script)`: the Python `script` run in a process of its own whose settings name a read replica
    (DATABASE_REPLICA_URL, read once by the settings), its standard output returned; it must succeed. Both database
    names point at the same SQLite file: what matters is which connection each page uses."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    environment.update(
        DATABASE_URL=database,
        DATABASE_REPLICA_URL=database,
        DJANGO_SETTINGS_MODULE="localdir.settings",
        ALLOWED_HOSTS="testserver",
    )

    def run(script):
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=Path(__file__).resolve().parent.parent,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    return run
