"""What every API answer carries: CORS for GET on /api/ only, ETag and Last-Modified for conditional requests, the
licence, and the per-address rate limit."""

import pytest
from django.core.cache import cache
from django.utils.http import http_date

from localdir.cache import CHANGED_AT_KEY, invalidate_public_pages

from .conftest import get_json

pytestmark = pytest.mark.django_db

ORIGIN = {"HTTP_ORIGIN": "https://partner.example"}


def test_any_site_may_read_the_api_from_a_browser(client, listings):
    response = client.get("/api/v1/listings", **ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/listings",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
        **ORIGIN,
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_the_pages_stay_same_origin(client, listings):
    response = client.get("/", **ORIGIN)
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_an_unchanged_answer_is_a_304(client, listings):
    first = client.get("/api/v1/listings?department=49")
    assert first.status_code == 200 and first.json()["results"]
    again = client.get("/api/v1/listings?department=49", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get("/api/v1/listings?department=49", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_last_modified_moves_when_the_public_data_changes(client, listings, django_capture_on_commit_callbacks):
    cache.set(CHANGED_AT_KEY, 1_700_000_000, timeout=None)
    first = client.get("/api/v1/departments")
    assert first["Last-Modified"] == http_date(1_700_000_000)
    with django_capture_on_commit_callbacks(execute=True):
        invalidate_public_pages()  # what every publication, withdrawal or edit calls (producers.signals)
    response = client.get("/api/v1/departments", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 200
    assert response["Last-Modified"] != first["Last-Modified"]


def test_answers_that_follow_the_clock_have_no_last_modified(client, listings):
    for url in ("/api/v1/listings?open_now=true", "/api/v1/map?bbox=-5,41,10,51&zoom=9"):
        response = client.get(url)
        assert response.status_code == 200 and "ETag" in response, url
        assert "Last-Modified" not in response, url
    assert "Last-Modified" in client.get("/api/v1/listings?open_now=false")


def test_every_answer_carries_the_licence(client, listings):
    slug = listings["full"].slug
    for url in (
        "/api/v1/listings",
        "/api/v1/markets",
        "/api/v1/listings.geojson",
        f"/api/v1/listings/{slug}",
        "/api/v1/map",
        "/api/v1/departments",
        "/api/v1/communes",
        "/api/v1/categories",
        "/api/v1/delivery-modes",
        "/api/v1/currencies",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.json()["licence"]["name"] == "Licence Ouverte 2.0", url
        assert 'rel="license"' in response["Link"], url
    assert get_json(client, "/api/v1/gogocarto")["licence"].startswith("https://www.etalab.gouv.fr/")
    assert 'rel="license"' in client.get(f"/api/v1/listings/{slug}/jsonld")["Link"]
    assert 'rel="license"' in client.get("/api/v1/listings?kind=castle")["Link"]


def test_an_address_past_its_rate_gets_a_429_with_retry_after(client, listings, settings):
    settings.API_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert client.get("/api/v1/categories").status_code == 200
    response = client.get("/api/v1/listings", **ORIGIN)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Access-Control-Allow-Origin"] == "*"  # a browser client can read why
    assert "Retry-After" in response["Access-Control-Expose-Headers"]
    # Another address is counted apart.
    assert client.get("/api/v1/categories", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_the_api_is_read_only(client, listings):
    assert client.post("/api/v1/listings", {}).status_code == 405
    assert client.delete(f"/api/v1/listings/{listings['full'].slug}").status_code == 405
