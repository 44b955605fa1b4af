"""What every API answer carries: CORS for GET on /api/ only, ETag and Last-Modified for conditional requests, the
licence, and the per-address rate limit."""

import time

import pytest
from django.core.cache import cache
from django.utils.http import http_date

import localdir.cache
from localdir.cache import CHANGED_AT_KEY, invalidate_public_pages
from producers import exports

from .conftest import get_json

pytestmark = pytest.mark.django_db

ORIGIN = {"HTTP_ORIGIN": "https://partner.example"}


@pytest.fixture(autouse=True)
def settled(listings):
    """The last change a few seconds ago, the listings' publication included: answers carry Last-Modified (none is
    promised within the change's second)."""
    cache.set(CHANGED_AT_KEY, int(time.time()) - 10, timeout=None)


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
    # Within the change's second no date is promised; a second later the change's own.
    assert response.get("Last-Modified") in (None, http_date(cache.get(CHANGED_AT_KEY)))
    cache.set(CHANGED_AT_KEY, cache.get(CHANGED_AT_KEY) - 2, timeout=None)  # as two seconds later
    later = client.get("/api/v1/departments?again=1")
    assert later["Last-Modified"] == http_date(cache.get(CHANGED_AT_KEY))
    assert later["Last-Modified"] != first["Last-Modified"]


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


def test_an_address_past_its_rate_gets_a_429_with_retry_after(client, listings, settings, rate_limit_clock):
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


def test_a_browser_may_revalidate_across_origins(client, listings):
    preflight = client.options(
        "/api/v1/listings",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match, if-modified-since",
        **ORIGIN,
    )
    allowed = {header.strip() for header in preflight["Access-Control-Allow-Headers"].split(",")}
    assert {"if-none-match", "if-modified-since"} <= allowed


def test_the_schema_and_its_page_are_rate_limited_and_cached_like_the_rest(
    client, listings, settings, rate_limit_clock
):
    settings.API_RATE_LIMIT = "3/m"
    settings.PAGE_CACHE_SECONDS = 60
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.")
    assert "public" in schema["Cache-Control"] and "max-age=60" in schema["Cache-Control"]
    assert client.get("/api/v1/docs").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 429


def test_no_date_is_promised_when_the_data_changed_in_this_very_second(client, listings):
    # Two changes within one second share a date: an answer between them must not be 304 after the second.
    cache.set(CHANGED_AT_KEY, int(time.time()) + 5, timeout=None)
    response = client.get("/api/v1/departments")
    assert response.status_code == 200 and "Last-Modified" not in response
    assert "ETag" in response


def test_last_modified_is_when_the_data_was_read_not_after(client, listings, monkeypatch):
    cache.set(CHANGED_AT_KEY, 1_700_000_000, timeout=None)
    rows = exports.rows

    def a_change_commits_while_reading(*args, **kwargs):
        found = rows(*args, **kwargs)
        localdir.cache._bump()  # another request's publication or withdrawal commits meanwhile
        return found

    monkeypatch.setattr(exports, "rows", a_change_commits_while_reading)
    first = client.get("/api/v1/listings?department=49")
    assert first["Last-Modified"] == http_date(1_700_000_000)
    monkeypatch.setattr(exports, "rows", rows)
    again = client.get("/api/v1/listings?department=49", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200


@pytest.mark.parametrize("header", ["HTTP_X_REAL_IP", "HTTP_X_FORWARDED_FOR"])
def test_behind_a_proxy_the_rate_counts_the_address_the_proxy_saw(client, listings, settings, header, rate_limit_clock):
    settings.CLIENT_IP_HEADER = header
    settings.API_RATE_LIMIT = "2/m"
    # The client may write its own X-Forwarded-For entries before the proxy's: they change nothing.
    for first in ("192.0.2.1", "192.0.2.2"):
        value = f"{first}, 203.0.113.5" if header == "HTTP_X_FORWARDED_FOR" else "203.0.113.5"
        assert client.get("/api/v1/categories", **{header: value}).status_code == 200
    assert client.get("/api/v1/categories", **{header: "192.0.2.9, 203.0.113.5"}).status_code == 429
    # Another visitor behind the same proxy, and a health check without the header, are counted apart.
    assert client.get("/api/v1/categories", **{header: "198.51.100.8"}).status_code == 200
    assert client.get("/api/v1/categories", **{header: "not an address"}).status_code == 200
    assert client.get("/api/v1/categories").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/listings?cursor=wrI",  # the base64 of "²": a digit to str.isdigit(), not to int()
        "/api/v1/listings?cursor=OTk5OTk5OTk5OTk5OTk5OTk5OTk5",  # past a bigint
        "/api/v1/communes?cursor=AA",  # a NUL byte
    ],
)
def test_a_tampered_cursor_is_a_400(client, listings, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


@pytest.mark.parametrize(
    "url",
    ["/api/v1/listings/a%00b", "/api/v1/listings/a%00b/jsonld", "/api/v1/listings?commune=Angers&commune_code=%00"],
)
def test_a_nul_byte_is_never_a_500(client, listings, url):
    assert client.get(url).status_code in (200, 404)


@pytest.mark.parametrize(
    "url", ["/api/v1/listings", "/api/v1/listings.geojson", "/api/v1/categories", "/api/v1/departments"]
)
def test_head_gives_the_headers_of_get_without_the_body(client, listings, url):
    get = client.get(url)
    head = client.head(url)
    assert head.status_code == 200
    # The test client drops a HEAD answer's body whatever the app sent; the length it announces is GET's.
    assert head["Content-Length"] == get["Content-Length"] == str(len(get.content))
    for header in ("Content-Type", "ETag", "Link", "Last-Modified"):
        assert head[header] == get[header], header


def test_head_of_an_unchanged_answer_is_a_304_as_get_s(client, listings):
    first = client.get("/api/v1/categories")
    assert client.head("/api/v1/categories", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.head("/api/v1/categories", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.head("/api/v1/categories", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_head_of_one_listing_and_of_a_missing_one(client, listings):
    assert client.head(f"/api/v1/listings/{listings['full'].slug}").status_code == 200
    assert client.head("/api/v1/listings/nobody-here").status_code == 404


def test_a_missing_listing_is_said_in_french_whatever_the_browser_asks(client, listings):
    for url in ("/api/v1/listings/nobody-here", "/api/v1/listings/nobody-here/jsonld"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 404
        assert response.json() == {"detail": "Rien n’est publié à cette adresse."}
        assert response["Link"].startswith("<")  # the licence, as on every answer


def test_an_invalid_parameter_is_said_in_french_whatever_the_browser_asks(client, listings):
    response = client.get("/api/v1/listings?limit=abc", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["detail"] == "Certains paramètres ne sont pas valides."
