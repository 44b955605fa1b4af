"""Each public page runs the same queries whatever the number of listings, with its cached data cold (the first
visitor after a change) or warm (every other visitor missing the page cache); both sizes really show listings."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from producers.models import Attendance, Category, Listing
from producers.models.closures import paris_today
from producers.towns import resolve as resolve_town
from tests.factories import ListingFactory, LocalCurrencyFactory, delivery_mode
from tests.magazine.factories import ArticleFactory, DepartmentNoticeFactory
from tests.moderation.test_photos import jpeg

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 30


@pytest.fixture
def directory(towns, maine_et_loire, django_capture_on_commit_callbacks):
    """Listings in and around Angers with categories, delivery modes and a local currency, and the Mag's widgets;
    published as the site does (the stored counts recounted after the commit)."""
    honey = Category.objects.get(slug="miel")
    muse = LocalCurrencyFactory()
    muse.departments.add(maine_et_loire)
    ArticleFactory(departments=[maine_et_loire])
    DepartmentNoticeFactory(department=maine_et_loire)

    def grow(n):
        with django_capture_on_commit_callbacks(execute=True):
            add(n)

    def add(n):
        for i in range(n):
            listing = ListingFactory(
                commune=towns["avrille" if i % 2 else "angers"],
                categories=[honey, Category.objects.get(slug="fruits-legumes")],
                opening_hours=["24/7", "Mo-Fr 09:00-18:00", "Sa 08:00-12:00", ""][i % 4],
            )
            listing.deliveries.create(mode=delivery_mode("on-site"))
            listing.currencies.add(muse)

    return grow


def visit(url, data=None):
    """(queries, cards shown) for one anonymous visitor."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url, data or {})
    assert response.status_code == 200
    return len(queries), len(re.findall(r'<li class="card">', response.content.decode()))


def cold_and_warm(url, data=None):
    resolve_town("Angers")  # each process builds its index of place names once, whatever the cache holds
    cache.clear()
    cold, cards = visit(url, data)
    warm, cards_again = visit(url, data)
    assert cards == cards_again
    return cold, warm, cards


FILTERED = {"commune": "Angers", "distance": "10", "category": "miel", "delivery": "on-site", "currency": "la-muse"}


@pytest.mark.parametrize(
    "url, data, warm_queries",
    [
        # nothing: the latest listings, their cards, the departments with their counts and the Mag are cached
        ("/", None, 0),
        # the page of listings (the departments are cached with their stored counts; categories are read only for
        # the cards not cached; no listing has a temporary closure: producers.statuses)
        ("/departements/49-maine-et-loire/", None, 1),
        # the same counted in SQL (the town typed is cached: producers.towns)
        ("/departements/49-maine-et-loire/", FILTERED, 2),
        ("/departements/49-maine-et-loire/", {**FILTERED, "open_now": "on", "kind": "producer"}, 2),
        # the commune, and the same as a department's page
        ("/communes/49007-angers/", None, 3),
        # the national list: counted from the stored counts, then the page and the overseas departments
        ("/carte/", None, 2),
        # the same counted in SQL, and the town typed
        ("/carte/", {"commune": "Angers", "distance": "10", "category": "miel"}, 3),
    ],
)
@pytest.mark.parametrize("closures", [False, True], ids=["without closures", "with closures"])
def test_directory_pages(directory, url, data, warm_queries, closures, django_capture_on_commit_callbacks):
    directory(SMALL)
    if closures:
        close_every_listing(django_capture_on_commit_callbacks)
    small = cold_and_warm(url, data)
    directory(LARGE - SMALL)
    if closures:
        close_every_listing(django_capture_on_commit_callbacks)
    large = cold_and_warm(url, data)
    assert large[:2] == small[:2]
    # A list whose listings have temporary closures reads them too, in one query whatever their number (the home
    # page's cards say nothing of opening hours).
    assert small[1] == warm_queries + (closures and url != "/")
    assert small[0] > small[1]  # what is cached is really read from the cache
    assert 0 < small[2] < large[2]  # "24/7" listings are open whenever the test runs


def close_every_listing(django_capture_on_commit_callbacks):
    """A closure to come on each listing without one (the "open now" filter still finds them open today), saved as
    the site saves it: the cached data is dropped once it is committed."""
    start = paris_today() + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        for listing in Listing.objects.filter(closures=None):
            listing.closures.create(starts_on=start, ends_on=start + datetime.timedelta(days=2), note="Congés")


def test_listing_page(directory):
    directory(1)
    listing = Listing.objects.get()
    small = cold_and_warm(listing.get_absolute_url())
    listing.categories.add(*Category.objects.all()[:6])
    listing.deliveries.create(mode=delivery_mode("markets"))
    listing.currencies.add(LocalCurrencyFactory(name="Eusko", slug="eusko"))
    today = paris_today()
    for n in range(3):
        listing.photos.create(image=ContentFile(jpeg(), name=f"{n}.jpg"), alt_text=f"Photo {n}", position=n)
        day = today + datetime.timedelta(days=7 * n)
        listing.closures.create(starts_on=day, ends_on=day, note=f"Fermeture {n}")
    large = cold_and_warm(listing.get_absolute_url())
    assert large == small
    # the listing; its links to categories, delivery modes and currencies, its photos and closures (one statement)
    assert small[1] == 2
    html = Client().get(listing.get_absolute_url()).content.decode()
    assert all(f'alt="Photo {n}"' in html and f"Fermeture {n}" in html for n in range(3))
    assert "Eusko" in html
    # the markets are read when the statement found a stand at a published market
    for n in range(3):
        market = ListingFactory(name=f"Marché {n}", kind=Listing.Kind.MARKET, opening_hours="Sa 08:00-13:00")
        Attendance.objects.create(producer=listing, market=market)
    assert cold_and_warm(listing.get_absolute_url())[1] == 3
    assert "Marché 2" in Client().get(listing.get_absolute_url()).content.decode()
