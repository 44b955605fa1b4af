"""/sante/: a load balancer or monitoring learns whether the database and the cache answer, and nothing else."""

from types import SimpleNamespace

import pytest
from django.core.cache.backends.dummy import DummyCache
from django.db import OperationalError

import localdir.views

pytestmark = pytest.mark.django_db

URL = "/sante/"


def directives(response):
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def test_it_answers_ok_and_is_kept_by_no_cache(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    response = client.get(URL)
    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Content-Type"].startswith("text/plain")
    assert {"no-store", "private"} <= directives(response) and "public" not in directives(response)
    assert "ETag" not in response and not response.cookies
    assert client.head(URL).status_code == 200


def test_it_changes_nothing(client):
    assert client.post(URL).status_code == 405


def broken_database(*args, **kwargs):
    raise OperationalError("could not connect to server: Connection refused, host db.internal, user localdir")


def test_a_database_that_does_not_answer_gives_a_503_without_its_error(client, settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 60
    assert client.get(URL).status_code == 200
    monkeypatch.setattr(localdir.views, "connection", SimpleNamespace(cursor=broken_database))
    # Not the "ok" just given: nothing keeps it.
    response = client.get(URL)
    assert (response.status_code, response.content) == (503, b"database unavailable")
    assert "no-store" in directives(response)


def test_a_cache_that_keeps_nothing_or_fails_gives_a_503(client, monkeypatch):
    monkeypatch.setattr(localdir.views, "cache", DummyCache("dummy", {}))
    assert (client.get(URL).status_code, client.get(URL).content) == (503, b"cache unavailable")

    def refused(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis.internal:6379. Connection refused.")

    monkeypatch.setattr(localdir.views, "cache", SimpleNamespace(set=refused, get=refused, delete=refused))
    response = client.get(URL)
    assert (response.status_code, response.content) == (503, b"cache unavailable")


def test_it_answers_over_plain_http_where_every_page_is_sent_to_https(client, settings):
    """A load balancer asks an application server straight, without TLS."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301
    assert client.get(URL).status_code == 200


REPLICA_SCRIPT = """
import django
django.setup()
from django.core.management import call_command
from django.db import OperationalError, connections
from django.test import Client
from django.test.utils import override_settings

call_command("migrate", verbosity=0)
client = Client(raise_request_exception=False)
print("before", client.get("/sante/").status_code)
def refused(*args, **kwargs):
    raise OperationalError("could not connect to server: Connection refused, host replica.internal")
connections["replica"].cursor = refused
with override_settings(PAGE_CACHE_SECONDS=60):
    print("home", client.get("/").status_code)
    response = client.get("/sante/")
print("health", response.status_code, response.content.decode())
"""


def test_a_read_replica_that_does_not_answer_gives_a_503(run_with_replica):
    """Anonymous visitors' pages read the replica (localdir/db_router.py): with it down they get errors, so the
    load balancer must hear of it. Settings read DATABASE_REPLICA_URL once, hence a process of its own
    (run_with_replica, as in tests/test_db_router.py)."""
    output = run_with_replica(REPLICA_SCRIPT)
    assert output.splitlines() == ["before 200", "home 500", "health 503 replica unavailable"]
