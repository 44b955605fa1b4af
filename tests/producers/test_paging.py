"""The directory's lists read the cheap way (producers.paging) show the very listings, in the very order, with the
very count that the whole query gives: every page of a list ordered by distance, and the national count."""

import datetime
import math
import random
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from producers import paging
from producers.models import Commune, Listing
from producers.models.closures import paris_today
from producers.models.distance import KM_PER_DEGREE
from tests.factories import CategoryFactory, ListingFactory

pytestmark = pytest.mark.django_db


def at(town, km, bearing):
    """The point `km` from the town's point towards `bearing` (radians), as within() measures distances."""
    cos_lat = math.cos(math.radians(town.latitude))
    return {
        "latitude": town.latitude + km * math.sin(bearing) / KM_PER_DEGREE,
        "longitude": town.longitude + km * math.cos(bearing) / (KM_PER_DEGREE * cos_lat),
    }


@pytest.fixture
def around_angers(towns, django_capture_on_commit_callbacks):
    """42 published listings around Angers: eight on the town's very point (distance ties, some with one name:
    ordered by name, then id), 16 within 2 km, ten from 8 to 10 km, five beyond 10 km; and two not published."""
    angers, rng = towns["angers"], random.Random(11)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(8):
            ListingFactory(commune=angers, name="Ferme du centre" if i % 2 else f"Atelier {i}", **at(angers, 0, 0))
        for km_range, count in (((0.1, 2), 16), ((8, 9.99), 10), ((10.2, 14), 5)):
            for _ in range(count):
                ListingFactory(commune=angers, **at(angers, rng.uniform(*km_range), rng.uniform(0, 2 * math.pi)))
        for status in (Listing.Status.PENDING, Listing.Status.UNPUBLISHED):
            ListingFactory(commune=angers, status=status, **at(angers, 0.5, 1))
    return angers


def by_distance(town, km):
    return Listing.objects.published().within(town.latitude, town.longitude, km).order_by("distance_sq", "name", "pk")


def read(listings, start, stop):
    """(the rows of listings[start:stop], the number of queries run)."""
    with CaptureQueriesContext(connection) as queries:
        rows = list(listings[start:stop])
    return rows, len(queries)


class TestNearestFirst:
    def test_every_page_holds_the_listings_the_whole_circle_gives_in_its_order(self, around_angers):
        whole = list(by_distance(around_angers, 10))
        assert len(whole) == 34
        assert [listing.distance_sq for listing in whole[:8]] == [0.0] * 8  # the ties are really there
        small_circle = 0
        for per_page in (1, 2, 3, 5, 20):
            nearest = paging.NearestFirst(
                by_distance(around_angers, 10), around_angers.latitude, around_angers.longitude, 10
            )
            assert nearest.count() == 34
            for start in range(0, 34, per_page):
                rows, queries = read(nearest, start, start + per_page)
                assert [row.pk for row in rows] == [row.pk for row in whole[start : start + per_page]], (
                    per_page,
                    start,
                )
                assert queries == 1
                small_circle += paging.MARGIN * (start + per_page) / 34 <= paging.MAX_AREA_SHARE
        assert small_circle >= 5  # the first pages were asked of the smaller circles

    def test_a_circle_holding_too_few_rows_reads_the_whole_one(self, towns, django_capture_on_commit_callbacks):
        angers = towns["angers"]
        with django_capture_on_commit_callbacks(execute=True):
            for i in range(10):
                ListingFactory(commune=angers, **at(angers, 9.5, i / 2))  # all at the edge: a smaller circle is empty
        nearest = paging.NearestFirst(by_distance(angers, 10), angers.latitude, angers.longitude, 10)
        assert nearest.count() == 10
        rows, queries = read(nearest, 0, 1)
        assert queries == 1  # the whole circle's, the smaller ones being empty
        assert rows == list(by_distance(angers, 10)[:1])


def test_listings_on_the_smaller_circles_themselves_are_on_their_pages(towns, django_capture_on_commit_callbacks):
    """Listings at the very radius of each circle a page of 2 is first asked of (the edges of their boxes and of the
    circle the statement picks): every page still holds what the whole circle gives."""
    angers = towns["angers"]
    n = 40
    share = paging.MARGIN * 2 / n
    radii, km = [], 10 * math.sqrt(share) / paging.GROWTH**2
    while km < 10:
        radii.append(km)
        km *= paging.GROWTH
    assert len(radii) >= 4
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(n):
            ListingFactory(commune=angers, **at(angers, radii[i % len(radii)], i * math.pi / 8))
    whole = [listing.pk for listing in by_distance(angers, 10)]
    assert len(whole) == n
    nearest = paging.NearestFirst(by_distance(angers, 10), angers.latitude, angers.longitude, 10)
    assert [row.pk for start in range(0, n, 2) for row in nearest[start : start + 2]] == whole


def test_listings_crowding_at_the_edge_are_read_from_the_whole_circle(towns, django_capture_on_commit_callbacks):
    """Four listings near the point, the rest beyond every smaller circle: a first page of three comes from a smaller
    circle, the pages after it from the whole one (each smaller circle falls short of their last row); each page is
    the whole circle's, in one query."""
    angers, rng = towns["angers"], random.Random(3)
    with django_capture_on_commit_callbacks(execute=True):
        for km in [0.05, 0.3, 0.3, 1.0] + [rng.uniform(9.6, 9.99) for _ in range(76)]:
            ListingFactory(commune=angers, **at(angers, km, rng.uniform(0, 2 * math.pi)))
    whole = [listing.pk for listing in by_distance(angers, 10)]
    assert len(whole) == 80
    for per_page in (3, 5):
        nearest = paging.NearestFirst(by_distance(angers, 10), angers.latitude, angers.longitude, 10)
        assert nearest.count() == 80
        for start in range(0, 80, per_page):
            rows, queries = read(nearest, start, start + per_page)
            assert [row.pk for row in rows] == whole[start : start + per_page], (per_page, start)
            assert queries == 1


@pytest.mark.parametrize("empty", [lambda listings: listings.none(), lambda listings: listings.filter(pk__in=[])])
def test_a_list_django_knows_is_empty_counts_none(towns, empty):
    """A filter that leaves nothing to read (.none(), an empty choice) is an empty page, not an error."""
    angers = towns["angers"]
    ListingFactory(commune=angers, **at(angers, 1, 0))
    nearest = paging.NearestFirst(empty(by_distance(angers, 10)), angers.latitude, angers.longitude, 10)
    assert (nearest.count(), list(nearest[0:20])) == (0, [])


def test_a_list_not_ordered_by_distance_first_is_read_as_it_is(towns, django_capture_on_commit_callbacks):
    """A page read from a smaller circle is the list's first rows only when the list puts the nearest first."""
    angers = towns["angers"]
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(30):
            ListingFactory(commune=angers, name=f"Ferme {29 - i:02}", **at(angers, 0.3 * i, i))
    listings = by_distance(angers, 10).order_by("name", "pk")
    whole = [listing.pk for listing in listings]
    assert len(whole) == 30
    nearest = paging.NearestFirst(listings, angers.latitude, angers.longitude, 10)
    assert [row.pk for row in nearest[0:2]] == whole[:2]  # the farthest two, by name


def test_a_page_ordered_by_distance_runs_the_same_queries_wherever_its_listings_sit(
    client, towns, maine_et_loire, settings, django_capture_on_commit_callbacks
):
    """Listings on the town's point (the smallest circle holds the page), at the circle's edge (neither smaller
    circle does), both, and few of them (no smaller circle is tried): one page, the same queries."""
    settings.LISTINGS_PER_PAGE = 2
    angers = towns["angers"]
    url, params = maine_et_loire.get_absolute_url(), {"commune": "Angers", "distance": "10"}
    queries = {}
    for where in ("centre", "edge", "centre and edge", "few at the edge"):
        with django_capture_on_commit_callbacks(execute=True):
            Listing.objects.all().delete()
            n = 3 if where == "few at the edge" else 20
            for km in (0, 9.5) if where == "centre and edge" else (9.5,) if "edge" in where else (0,):
                for i in range(n):
                    ListingFactory(commune=angers, **at(angers, km, i / 3))
        client.get(url, params)  # the cards are cached from now on
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url, params).content.decode()
        assert slugs(html) == [listing.slug for listing in by_distance(angers, 10)[:2]]
        queries[where] = len(captured)
    assert len(set(queries.values())) == 1, queries


def slugs(html):
    return re.findall(r'<a href="/activites/([^/]+)/[?"]', html)


def test_the_department_page_lists_every_page_in_the_order_of_distance(
    client, around_angers, maine_et_loire, settings, django_capture_on_commit_callbacks
):
    settings.LISTINGS_PER_PAGE = 3
    expected = [listing.slug for listing in by_distance(around_angers, 10)]
    shown = []
    for page in range(1, 13):
        response = client.get(maine_et_loire.get_absolute_url(), {"commune": "Angers", "distance": "10", "page": page})
        html = response.content.decode()
        assert "34 activités" in html
        shown += slugs(html)
    assert shown == expected
    start = paris_today() + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        for listing in Listing.objects.all():
            listing.closures.create(starts_on=start, ends_on=start)
    with CaptureQueriesContext(connection) as queries:
        client.get(maine_et_loire.get_absolute_url(), {"commune": "Angers", "distance": "10"})
    # the cards' temporary closures are read once, for the page kept, whichever circle it came from
    page = Listing.objects.filter(slug__in=expected[:3]).values_list("pk", flat=True)
    assert closures_read_for(queries) == [set(page)]


def closures_read_for(queries):
    """For each query reading temporary closures for listings: the ids of those listings."""
    found = [re.search(r'"producers_closure"."listing_id" IN \(([^)]*)\)', query["sql"]) for query in queries]
    return [{int(pk) for pk in ids.group(1).split(",")} for ids in found if ids]


def test_searches_read_in_turn_each_get_their_own_rows(
    client, around_angers, towns, maine_et_loire, settings, django_capture_on_commit_callbacks
):
    """The page's statement is built from each list's own query: searches with other towns, distances and filters,
    asked in turn of one process, each show the rows of their own whole circle, page after page, and its count."""
    settings.LISTINGS_PER_PAGE = 2
    angers, avrille = around_angers, towns["avrille"]
    rng = random.Random(5)
    legumes, fruits = CategoryFactory(slug="legumes"), CategoryFactory(slug="fruits")
    listings = list(Listing.objects.published())
    with django_capture_on_commit_callbacks(execute=True):
        for listing in listings:
            listing.categories.set(rng.sample([legumes, fruits], rng.randint(1, 2)))
        for _ in range(20):
            ListingFactory(commune=avrille, categories=[fruits], **at(avrille, rng.uniform(0, 4), rng.uniform(0, 7)))
    searches = [
        ({"commune": "Angers", "distance": "10"}, by_distance(angers, 10)),
        ({"commune": "Angers", "distance": "20"}, by_distance(angers, 20)),
        ({"commune": "Avrillé", "distance": "10"}, by_distance(avrille, 10)),
        (
            {"commune": "Angers", "distance": "10", "category": "fruits"},
            by_distance(angers, 10).filter(categories=fruits),
        ),
        (
            {"commune": "Angers", "distance": "10", "category": "legumes"},
            by_distance(angers, 10).filter(categories=legumes),
        ),
    ]
    expected = [[listing.slug for listing in whole] for _, whole in searches]
    assert len({tuple(slugs) for slugs in expected}) == len(searches)  # five different lists
    assert min(len(slugs) for slugs in expected) >= 16  # long enough for their first pages to try smaller circles
    for page in range(1, 4):
        for (params, _), whole in zip(searches, expected, strict=True):
            html = client.get(maine_et_loire.get_absolute_url(), {**params, "page": page}).content.decode()
            assert slugs(html) == whole[2 * page - 2 : 2 * page], (params, page)
            assert f"{len(whole)} activités" in html, (params, page)


def test_the_page_keeps_the_order_of_its_list(towns, django_capture_on_commit_callbacks):
    """Ties of distance ordered by name descending, then id: the page's statement orders by the same columns."""
    angers = towns["angers"]
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(24):
            ListingFactory(commune=angers, name=f"Ferme {i % 5}", **at(angers, 0.5 * (i % 3), i))
    listings = by_distance(angers, 10).order_by("distance_sq", "-name", "pk")
    whole = [listing.pk for listing in listings.all()]
    nearest = paging.NearestFirst(listings, angers.latitude, angers.longitude, 10)
    assert nearest.count() == 24
    for start in range(0, 24, 2):
        rows, queries = read(nearest, start, start + 2)
        assert [row.pk for row in rows] == whole[start : start + 2]
        assert queries == 1
        assert all(row.commune == angers for row in rows)  # the rows come back with what the list selects


# The lists counted from the stored counts when unfiltered: all of France, and a department's.
STORED_LISTS = ["/carte/", "/departements/49-maine-et-loire/"]


def counted_in_sql(queries):
    """The counts of listings among `queries`: Django's, or NearestFirst's count of the page's ids."""
    counts = (
        'COUNT(*) AS "__count" FROM "producers_listing"',
        'COUNT(*) AS "__count" FROM (SELECT "producers_listing"',
    )
    return [query for query in queries if any(count in query["sql"] for count in counts)]


@pytest.mark.parametrize("url", STORED_LISTS)
class TestStoredCount:
    def test_an_unfiltered_list_counts_from_the_stored_counts_what_a_count_gives(
        self, client, around_angers, url, django_capture_on_commit_callbacks
    ):
        published = Listing.objects.published()
        assert published.count() == 39
        client.get(url)  # the departments and their counts are cached from now on
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert "39 activités" in html
        assert len(slugs(html)) == 20
        assert not counted_in_sql(queries)

        withdrawn = published.order_by("name", "pk").first()
        assert withdrawn.slug in slugs(html)  # the first one in the lists' order
        withdrawn.status = Listing.Status.UNPUBLISHED
        with django_capture_on_commit_callbacks(execute=True):
            withdrawn.save()
        html = client.get(url).content.decode()
        assert "38 activités" in html
        assert withdrawn.slug not in slugs(html)

    def test_a_filtered_list_is_counted_in_sql(self, client, around_angers, url):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url, {"commune": "Angers", "distance": "10"}).content.decode()
        assert "34 activités" in html
        assert slugs(html) == [listing.slug for listing in by_distance(around_angers, 10)[:20]]
        assert len(counted_in_sql(queries)) == 1


def test_a_department_list_counts_its_own_listings_only(client, around_angers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        bordeaux = ListingFactory(commune=Commune.objects.get(insee_code="33063"), name="Cave de Bordeaux")
    assert "40 activités" in client.get("/carte/").content.decode()
    gironde = client.get("/departements/33-gironde/").content.decode()
    assert "1 activité" in gironde and slugs(gironde) == [bordeaux.slug]
    maine_et_loire = client.get("/departements/49-maine-et-loire/").content.decode()
    assert "39 activités" in maine_et_loire and bordeaux.slug not in slugs(maine_et_loire)


def test_closures_are_read_for_the_page_kept_only(
    client, towns, maine_et_loire, settings, django_capture_on_commit_callbacks
):
    settings.LISTINGS_PER_PAGE = 2
    angers = towns["angers"]
    with django_capture_on_commit_callbacks(execute=True):
        centre = ListingFactory(commune=angers, **at(angers, 0, 0))
        for i in range(30):
            ListingFactory(commune=angers, **at(angers, 9.5, i / 5))  # the smaller circles hold one row of the two
        start = paris_today() + datetime.timedelta(days=30)
        for listing in Listing.objects.all():
            listing.closures.create(starts_on=start, ends_on=start)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(maine_et_loire.get_absolute_url(), {"commune": "Angers", "distance": "10"}).content.decode()
    page = by_distance(angers, 10)[:2]
    assert slugs(html) == [listing.slug for listing in page]
    assert slugs(html)[0] == centre.slug
    assert closures_read_for(queries) == [{listing.pk for listing in page}]


def list_pages(client, url, **params):
    """[(page number shown, slugs)] of a list from its first page, following its "Next" links as a visitor does."""
    pages, number = [], 1
    while True:
        response = client.get(url, {**params, "page": number})
        html = response.content.decode()
        pages.append((response.context["page_obj"].number, slugs(html)))
        found = re.search(r'page=(\d+)" rel="next"', html)
        if not found:
            return pages, html
        number = int(found[1])
        assert len(pages) < 20


@pytest.fixture
def five_in_angers(towns, settings, django_capture_on_commit_callbacks):
    """Five published listings, two a page: four published as the site does, the fifth by a QuerySet.update() (a
    shell, a data fix), which no signal sees: the stored count says 4."""
    settings.LISTINGS_PER_PAGE = 2
    angers = towns["angers"]
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(4):
            ListingFactory(commune=angers, name=f"Ferme {i}")
        late = ListingFactory(commune=angers, name="Ferme 4", status=Listing.Status.PENDING)
    Listing.objects.filter(pk=late.pk).update(status=Listing.Status.PUBLISHED)
    assert angers.department.__class__.objects.get(pk=angers.department_id).listing_count == 4
    return [listing.slug for listing in Listing.objects.published().order_by("name", "pk")]


@pytest.mark.parametrize("url", STORED_LISTS)
class TestStaleStoredCount:
    def test_a_count_too_low_leaves_no_listing_off_the_pages(self, client, five_in_angers, url):
        pages, last = list_pages(client, url)
        assert [slug for _, page in pages for slug in page] == five_in_angers
        assert [number for number, _ in pages] == [1, 2, 3]
        assert "5 activités" in last  # the last page found the stored count short and counted in SQL

    def test_a_page_past_the_stored_end_is_not_another_page(self, client, five_in_angers, url):
        third = slugs(client.get(url, {"page": 3}).content.decode())
        assert third == five_in_angers[4:]
        assert third != slugs(client.get(url, {"page": 2}).content.decode())
        past_the_end = client.get(url, {"page": 4})  # a page past the real end shows the last one, as Django's
        assert past_the_end.context["page_obj"].number == 3
        assert slugs(past_the_end.content.decode()) == five_in_angers[4:]

    def test_a_count_too_high_gives_no_empty_page(self, client, five_in_angers, url, maine_et_loire):
        Listing.objects.filter(slug=five_in_angers[4]).update(status=Listing.Status.PENDING)
        maine_et_loire.__class__.objects.filter(pk=maine_et_loire.pk).update(listing_count=9)
        pages, last = list_pages(client, url)
        assert [slug for _, page in pages for slug in page] == five_in_angers[:4]
        assert all(page for _, page in pages)
        assert "4 activités" in last
        past_the_end = client.get(url, {"page": 5})
        assert past_the_end.context["page_obj"].number == 2
        assert slugs(past_the_end.content.decode()) == five_in_angers[2:4]

    def test_a_right_count_costs_no_query_more_on_its_last_page(self, client, five_in_angers, url):
        Listing.objects.filter(slug=five_in_angers[4]).update(status=Listing.Status.PENDING)  # 4: two full pages
        for page in (1, 2):  # the departments with their counts, and the cards, cached
            client.get(url, {"page": page})
        queries = []
        for page in (1, 2):
            with CaptureQueriesContext(connection) as captured:
                html = client.get(url, {"page": page}).content.decode()
            assert slugs(html) == five_in_angers[2 * page - 2 : 2 * page]
            assert "4 activités" in html
            queries.append(len(captured))
        assert queries[0] == queries[1]
