"""Public pages are cached for anonymous visitors without cookies, never for anyone else."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from producers.models import Listing
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def queries(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(captured), response


def test_a_second_anonymous_visit_is_served_from_the_cache(client, towns, maine_et_loire, page_cache):
    ListingFactory(name="Ferme du Chêne")
    url = maine_et_loire.get_absolute_url()
    first, response = queries(client, url)
    assert first > 0
    assert "max-age=60" in response["Cache-Control"]
    second, response = queries(client, url)
    assert second == 0
    assert "Ferme du Chêne" in response.content.decode()
    # Another query string, another language: other pages.
    assert queries(client, url + "?kind=shop")[0] > 0
    assert queries(client, "/en" + url)[0] > 0


def test_visitors_with_cookies_always_get_a_fresh_page(client, towns, maine_et_loire, page_cache):
    listing = ListingFactory(name="Ferme du Chêne")
    url = listing.get_absolute_url()
    queries(client, url)
    client.cookies["sessionid"] = "whatever"
    assert queries(client, url)[0] > 0


def test_the_csrf_cookie_alone_still_gets_the_cached_page(client, towns, maine_et_loire, page_cache):
    url = maine_et_loire.get_absolute_url()
    queries(client, url)
    client.cookies["csrftoken"] = "x" * 32  # left by the sign-up form, say
    assert queries(client, url)[0] == 0
    assert "csrfmiddlewaretoken" not in client.get(url).content.decode()  # nothing on the page needs it
    client.cookies["messages"] = "a flash message"
    assert queries(client, url)[0] > 0


def test_the_geojson_is_cached_compressed(client, towns, maine_et_loire, page_cache):
    ListingFactory.create_batch(3)
    url = maine_et_loire.get_absolute_url() + "carte.geojson"
    queries(client, url, headers={"accept-encoding": "gzip"})
    count, response = queries(client, url, headers={"accept-encoding": "gzip"})
    assert count == 0
    assert response["Content-Encoding"] == "gzip"


def test_an_unpublished_listing_disappears_when_the_cache_expires(client, towns, page_cache, settings):
    listing = ListingFactory()
    url = listing.get_absolute_url()
    queries(client, url)
    Listing.objects.filter(pk=listing.pk).update(status=Listing.Status.UNPUBLISHED)
    cache.clear()  # what expiry does after PAGE_CACHE_SECONDS
    assert client.get(url).status_code == 404
