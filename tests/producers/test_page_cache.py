"""Public pages are cached for anonymous visitors without cookies, never for anyone else, and dropped at once when
what they show is published, withdrawn, erased or edited."""

import json
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from moderation.models import Decision, EditToken, Revision, decide_listing
from moderation.revisions import serialize_listing
from producers.models import Listing
from tests.factories import ListingFactory
from tests.responses import gunzipped

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
    _, first = queries(client, url, headers={"accept-encoding": "gzip"})
    count, response = queries(client, url, headers={"accept-encoding": "gzip"})
    assert count == 0
    assert len(json.loads(gunzipped(response))["features"]) == 3
    assert gunzipped(response) == gunzipped(first)
    # A client that does not accept gzip gets the same data uncompressed.
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    assert plain.content == gunzipped(first)


NAME = "Ferme du Chêne"


@pytest.fixture
def pages(towns, maine_et_loire, page_cache):
    """A published listing and every cached page that shows it, each already in the cache."""
    listing = ListingFactory(name=NAME, commune=towns["angers"])
    angers = towns["angers"]
    urls = [
        "/",
        listing.get_absolute_url(),
        maine_et_loire.get_absolute_url(),
        maine_et_loire.get_absolute_url() + "carte.geojson",
        angers.get_absolute_url(),
        angers.get_absolute_url() + "carte.geojson",
    ]
    visitor = Client()
    for url in urls:
        assert NAME in visitor.get(url).content.decode(), url
        assert queries(visitor, url)[0] == 0, url  # served from the cache from now on
    return listing, urls


def shown_on(urls, text):
    """The pages a new anonymous visitor (no cookie at all) sees `text` on."""
    visitor = Client()
    shown = []
    for url in urls:
        response = visitor.get(url)
        if response.status_code == 200 and text in response.content.decode():
            shown.append(url)
    assert not visitor.cookies
    return shown


def test_an_erased_listing_disappears_at_once(client, pages, django_capture_on_commit_callbacks):
    listing, urls = pages
    token = EditToken.issue(listing)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/modifier/{token}/effacer/").status_code == 200
    assert shown_on(urls, NAME) == []
    assert Client().get(listing.get_absolute_url()).status_code == 404


def test_a_withdrawn_listing_disappears_at_once(pages, django_capture_on_commit_callbacks):
    listing, urls = pages
    with django_capture_on_commit_callbacks(execute=True):
        listing.status = Listing.Status.UNPUBLISHED
        listing.save()
    assert shown_on(urls, NAME) == []


def test_a_deleted_listing_disappears_at_once(pages, django_capture_on_commit_callbacks):
    listing, urls = pages
    with django_capture_on_commit_callbacks(execute=True):
        listing.delete()
    assert shown_on(urls, NAME) == []


def test_an_approved_edit_shows_at_once(pages, django_user_model, django_capture_on_commit_callbacks):
    listing, urls = pages
    revision = Revision.objects.create(listing=listing, data={**serialize_listing(listing), "name": "Ferme des Chênes"})
    with django_capture_on_commit_callbacks(execute=True):
        revision.approve(by=django_user_model.objects.create(username="alice"))
    assert shown_on(urls, "Ferme des Chênes") == urls


def test_a_newly_approved_listing_shows_at_once(pages, towns, django_user_model, django_capture_on_commit_callbacks):
    _listing, urls = pages
    with django_capture_on_commit_callbacks(execute=True):
        pending = ListingFactory(name="Nouvelle ferme", commune=towns["angers"], status=Listing.Status.PENDING)
    assert shown_on(urls, "Nouvelle ferme") == []
    with django_capture_on_commit_callbacks(execute=True):
        decide_listing(pending.pk, Decision.Action.APPROVE, by=django_user_model.objects.create(username="alice"))
    assert shown_on(urls[:1] + urls[2:], "Nouvelle ferme") == urls[:1] + urls[2:]  # all but the other listing's page


def test_changes_to_listings_nobody_sees_keep_the_cache(pages, towns, django_capture_on_commit_callbacks):
    _listing, urls = pages
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pending = ListingFactory(name="En attente", commune=towns["angers"], status=Listing.Status.PENDING)
        pending.short_description = "Modifiée par le producteur"
        pending.save()
    assert callbacks == []
    visitor = Client()
    assert [queries(visitor, url)[0] for url in urls] == [0] * len(urls)


def test_a_change_made_behind_the_models_back_disappears_when_the_cache_expires(pages, monkeypatch, settings):
    listing, urls = pages
    # A queryset update sends no signal: only the cache's expiry can catch it.
    Listing.objects.filter(pk=listing.pk).update(status=Listing.Status.UNPUBLISHED)
    assert Client().get(listing.get_absolute_url()).status_code == 200
    later = time.time() + settings.PAGE_CACHE_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert Client().get(listing.get_absolute_url()).status_code == 404
    assert shown_on(urls, NAME) == []


def test_the_exports_never_show_a_withdrawn_listing(pages, maine_et_loire, django_capture_on_commit_callbacks):
    listing, _urls = pages
    export = maine_et_loire.get_absolute_url() + "export.csv"
    assert NAME in b"".join(Client().get(export).streaming_content).decode()
    with django_capture_on_commit_callbacks(execute=True):
        listing.status = Listing.Status.UNPUBLISHED
        listing.save()
    assert NAME not in b"".join(Client().get(export).streaming_content).decode()


def test_a_photo_removed_from_a_published_listing_leaves_its_page_at_once(
    towns, page_cache, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from tests.moderation.test_photos import jpeg

    listing = ListingFactory(name=NAME)
    photo = listing.photos.create(image=ContentFile(jpeg(), name="p.jpg"), alt_text="Les chèvres au pré")
    url = listing.get_absolute_url()
    assert "Les chèvres au pré" in Client().get(url).content.decode()
    assert queries(Client(), url)[0] == 0  # cached
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert "Les chèvres au pré" not in Client().get(url).content.decode()
