"""The cards of a list read temporary closures only for the listings that have one (producers.statuses): what they
say must still follow every closure saved, deleted, starting or ending, whatever the cached data holds."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from localdir import cache as localdir_cache
from producers import statuses
from producers.models import Closure, Listing
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db

EVERY_DAY = "Mo-Su 09:00-18:00"
DEPARTMENT = "/departements/49-maine-et-loire/"
CLOSED = "Fermé temporairement"
OPEN = "Ouvert maintenant · ferme à 18 h"


@pytest.fixture
def shop(angers, clock):
    ListingFactory(name="Boutique voisine", opening_hours=EVERY_DAY)
    return ListingFactory(name="Boutique en congés", opening_hours=EVERY_DAY)


def card(client, listing, url=DEPARTMENT):
    """The label the listing's card shows, and whether the page read any temporary closure."""
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    cards = re.findall(r"<li[ >].*?</li>", html, re.DOTALL)
    (found,) = [card for card in cards if listing.name in card]
    label = re.search(r'class="open-state[^"]*">([^<]*)<', found).group(1)
    read = any('FROM "producers_closure"' in query["sql"] and " IN (" in query["sql"] for query in queries)
    return label, read


def save_closure(capture, listing, starts_on, ends_on):
    """As the site saves one (moderation's closure form): committed, the cached pages and data are dropped."""
    with capture(execute=True):
        return Closure.objects.create(listing=listing, starts_on=starts_on, ends_on=ends_on)


def day(clock, days=0):
    return (clock.now + datetime.timedelta(days=days)).date()


def test_a_closure_saved_shows_on_the_next_page(client, shop, clock, django_capture_on_commit_callbacks):
    assert card(client, shop) == (OPEN, False)  # the listings with closures are now cached
    save_closure(django_capture_on_commit_callbacks, shop, day(clock), day(clock, 2))
    assert card(client, shop) == ("Fermé temporairement · ouvre mercredi à 9 h", True)


def test_a_closure_deleted_is_gone_from_the_next_page(client, shop, clock, django_capture_on_commit_callbacks):
    closure = save_closure(django_capture_on_commit_callbacks, shop, day(clock), day(clock, 2))
    assert card(client, shop)[0].startswith(CLOSED)
    with django_capture_on_commit_callbacks(execute=True):
        closure.delete()
    assert card(client, shop) == (OPEN, False)


def test_a_closure_starting_later_shows_when_its_day_comes(client, shop, clock, django_capture_on_commit_callbacks):
    save_closure(django_capture_on_commit_callbacks, shop, day(clock, 1), day(clock, 3))
    # Today it is open, and says it will not open tomorrow; the day after, without any change saved (the data
    # cached the day before still kept), it is closed.
    clock.travel(hours=9)  # 19:00 on Sunday
    assert card(client, shop) == ("Fermé · ouvre jeudi à 9 h", True)
    clock.travel(hours=15)  # 10:00 on Monday
    assert card(client, shop) == ("Fermé temporairement · ouvre jeudi à 9 h", True)


def test_a_closure_over_is_no_longer_read(client, shop, clock, django_capture_on_commit_callbacks):
    save_closure(django_capture_on_commit_callbacks, shop, day(clock), day(clock))
    assert card(client, shop) == ("Fermé temporairement · ouvre demain à 9 h", True)
    clock.travel(days=1)
    assert card(client, shop) == (OPEN, False)


def test_every_list_of_cards_reads_them(client, shop, clock, django_capture_on_commit_callbacks):
    save_closure(django_capture_on_commit_callbacks, shop, day(clock), day(clock, 2))
    closed = "Fermé temporairement · ouvre mercredi à 9 h"
    for url in [
        DEPARTMENT,
        DEPARTMENT + "?commune=Angers&distance=10",  # read from a circle first (producers.paging)
        "/communes/49007-angers/",
        "/carte/",
        "/embed/departements/49-maine-et-loire/",
    ]:
        assert card(client, shop, url) == (closed, True), url


def test_the_closures_are_those_not_over_on_the_day_asked(shop, clock, django_capture_on_commit_callbacks):
    past = save_closure(django_capture_on_commit_callbacks, shop, day(clock, -5), day(clock, -3))
    now = save_closure(django_capture_on_commit_callbacks, shop, day(clock), day(clock, 1))
    later = save_closure(django_capture_on_commit_callbacks, shop, day(clock, 10), day(clock, 12))
    listings = list(Listing.objects.order_by("name"))
    statuses.attach_closures(listings, day(clock))
    assert [listing.current_closures for listing in listings] == [[now, later], []]
    assert past not in listings[0].current_closures


def test_each_listing_finds_its_own_last_day_as_the_cache_gives_it_back(
    angers, clock, django_capture_on_commit_callbacks
):
    """The listings with a closure not over are kept as two arrays ordered by id (statuses.LastDays, which each
    process unpickles every few seconds): each finds its own last day, and a listing without a closure none, whether
    its id comes before, between or after theirs."""
    first, closed, between, also_closed, last = (ListingFactory(name=f"Boutique {i}") for i in range(5))
    save_closure(django_capture_on_commit_callbacks, closed, day(clock, -1), day(clock, 3))
    save_closure(django_capture_on_commit_callbacks, also_closed, day(clock), day(clock, 1))
    save_closure(django_capture_on_commit_callbacks, also_closed, day(clock, 20), day(clock, 25))
    statuses._last_closure_days()  # computed and stored in the cache
    localdir_cache._local.clear()  # another process: read back from the cache
    last_days = statuses._last_closure_days()
    assert isinstance(last_days, statuses.LastDays)
    found = {listing.name: last_days.get(listing.pk) for listing in (first, closed, between, also_closed, last)}
    assert found == {
        "Boutique 0": None,
        "Boutique 1": day(clock, 3),
        "Boutique 2": None,
        "Boutique 3": day(clock, 25),
        "Boutique 4": None,
    }
    assert statuses.closed_ids(
        [listing.pk for listing in (first, closed, between, also_closed, last)], day(clock, 4)
    ) == [also_closed.pk]
