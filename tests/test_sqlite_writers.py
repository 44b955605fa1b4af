"""SQLite as configured for production (a file, several threads of a server): two requests writing at once both
succeed, the second waiting for the first, instead of one failing with "database is locked" (a 500)."""

import threading

import pytest
from django.db import connections, transaction

from localdir import settings as project_settings


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    """A database alias on an SQLite file with the project's SQLite options, whatever database the tests run on."""
    alias = "sqlite_file"
    database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "db.sqlite3"),
        "OPTIONS": dict(project_settings.SQLITE_OPTIONS),
        "CONN_MAX_AGE": 0,
    }
    connections.settings[alias] = connections.configure_settings({"default": database, alias: database})[alias]
    # Not the test database: a file of its own, which the test creates and throws away.
    with django_db_blocker.unblock():
        yield alias
    for connection in connections.all(initialized_only=True):
        if connection.alias == alias:
            connection.close()
    del connections.settings[alias]


def test_two_transactions_that_read_then_write_at_once_both_commit(sqlite_file):
    """Like two sign-ups: each transaction reads (is the slug free?) then writes. The second begins while the first
    holds the write lock. Begun DEFERRED, the second reads an old snapshot and its write then fails at once when the
    first commits ("database is locked"); begun IMMEDIATE, it waits for the first, then sees its row."""
    with connections[sqlite_file].cursor() as cursor:
        cursor.execute("CREATE TABLE listing (slug TEXT UNIQUE)")
    connections[sqlite_file].close()
    first_wrote, second_read = threading.Event(), threading.Event()
    errors, seen = [], {}

    def run(name):
        try:
            if name == "second":
                first_wrote.wait(10)
            with transaction.atomic(using=sqlite_file), connections[sqlite_file].cursor() as cursor:
                cursor.execute("SELECT count(*) FROM listing")
                seen[name] = cursor.fetchone()[0]
                if name == "second":
                    second_read.set()
                cursor.execute("INSERT INTO listing VALUES (%s)", [f"ferme-{seen[name] + 1}"])
                if name == "first":
                    first_wrote.set()
                    # A deferred second transaction reads meanwhile; an immediate one cannot begin before we commit.
                    second_read.wait(0.5)
        except Exception as error:
            errors.append(error)
        finally:
            connections[sqlite_file].close()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert seen == {"first": 0, "second": 1}
