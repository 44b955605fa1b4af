"""Only the embedded pages may be framed by other sites; they set no cookie and are cached like public pages."""

import pytest
from django.test import Client

from tests.factories import ListingFactory
from tests.test_settings import settings_value

pytestmark = pytest.mark.django_db

NAME = "EMBED_FRAME_ANCESTORS"


@pytest.fixture
def published(towns):
    return ListingFactory(name="Jardin d'Angers", commune=towns["angers"])


EMBEDS = [
    "/embed/departements/49-maine-et-loire/",
    "/embed/departements/49-maine-et-loire/?category=&kind=producer&page=1",
    "/en/embed/departements/49-maine-et-loire/",
    "/embed/communes/49007-angers/?distance=20",
    "/en/embed/communes/49007-angers/",
]
NOT_FRAMEABLE = [
    "/",
    "/integrer/",
    "/integrer/?department=49",
    "/departements/49-maine-et-loire/",
    "/communes/49007-angers/",
    "/departements/49-maine-et-loire/carte.geojson",
    "/oembed?url=http%3A%2F%2F127.0.0.1%3A8000%2Fdepartements%2F49-maine-et-loire%2F",
]


def frame_ancestors(response):
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )
    return directives.get("frame-ancestors")


@pytest.mark.parametrize("url", EMBEDS)
def test_embedded_pages_may_be_framed_by_any_site(client, published, url):
    response = client.get(url)
    assert response.status_code == 200
    assert frame_ancestors(response) == "*"
    assert "X-Frame-Options" not in response
    # The rest of the policy holds: no inline script, no other origin's script.
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", NOT_FRAMEABLE)
def test_every_other_page_refuses_to_be_framed(client, published, url):
    response = client.get(url)
    assert response.status_code == 200
    assert frame_ancestors(response) == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_the_sites_allowed_to_frame_come_from_the_setting(client, published, settings):
    settings.EMBED_FRAME_ANCESTORS = ["https://mairie.example.fr", "https://*.example.org"]
    response = client.get(EMBEDS[0])
    # The site itself too: the builder's preview frames the embedded page (tests/browser/test_embed.py).
    assert frame_ancestors(response) == "'self' https://mairie.example.fr https://*.example.org"
    assert frame_ancestors(client.get("/")) == "'none'"


@pytest.mark.parametrize("url", EMBEDS)
def test_embedded_pages_set_no_cookie_and_are_public(published, settings, url):
    settings.PAGE_CACHE_SECONDS = 60
    # A fresh browser on another site, in English or French: no CSRF cookie, no session, no language cookie.
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(2):  # rendered, then from the page cache
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies
        assert "Set-Cookie" not in response
        assert response["Cache-Control"] == "max-age=60, public"
    assert not client.cookies


def test_embedded_page_is_served_from_the_page_cache(published, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 60
    client = Client()
    first = client.get(EMBEDS[0])
    with django_assert_num_queries(0):
        again = client.get(EMBEDS[0])
    assert again.content == first.content and b"Jardin d&#x27;Angers" in again.content
    assert frame_ancestors(again) == "*" and "X-Frame-Options" not in again


def test_the_setting_is_read_from_the_environment():
    allowed = settings_value({"EMBED_FRAME_ANCESTORS": "https://mairie.example.fr, https://*.example.org"}, NAME)
    assert allowed.stdout.strip() == "['https://mairie.example.fr', 'https://*.example.org']", allowed.stderr
    default = settings_value({}, NAME)
    assert default.stdout.strip() == "['*']", default.stderr
