"""A list with a town and a distance alone is counted from the maps' grid: the cells wholly inside the circle from the
grid, those its edge crosses in SQL (producers.maps.ring.count). Its count says what its pages hold, as a stored count
does: the Paginator checks it against the rows read and counts in SQL when they disagree (producers.paging)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from producers.maps import cells, grid, ring
from producers.models import Listing
from tests.factories import ListingFactory
from tests.producers import test_paging
from tests.producers.test_paging import at, by_distance, list_pages, slugs

pytestmark = pytest.mark.django_db

# The three lists ordered by distance whose queryset is every published listing of a scope of the grid.
CIRCLE_LISTS = ["/carte/", "/departements/49-maine-et-loire/", "/communes/49007-angers/"]
ANGERS_10_KM = {"commune": "Angers", "distance": "10"}
around_angers = test_paging.around_angers  # the fixture: 42 listings around Angers, 34 of them within 10 km


def count_the_grid(client):
    """The maps count the grid (an unfiltered map of France); the lists only read it."""
    assert client.get("/carte.geojson", {"zoom": "6"}).status_code == 200


def counts(queries):
    return [query["sql"] for query in queries if "COUNT(" in query["sql"]]


def cell_sides(town, km, listings):
    """(listings in the circle's cells wholly inside it, listings in the cells its edge crosses)."""
    inside, ranges = ring.split((town.latitude, town.longitude, km), ring.WHOLE)
    inner = edge = 0
    for listing in listings:
        x, y = cells.cell_index(listing.latitude, listing.longitude, ring.FINE.cell)
        if y in inside and inside[y][0] <= x <= inside[y][1]:
            inner += 1
        elif any(row == y and first <= x <= last for row, first, last in ranges):
            edge += 1
    return inner, edge


@pytest.mark.parametrize("url", CIRCLE_LISTS)
class TestCountedFromTheGrid:
    def test_the_count_is_the_circle_s_and_only_its_edge_is_counted_in_sql(self, client, around_angers, grid_on, url):
        listings = list(by_distance(around_angers, 10))
        assert len(listings) == 34
        assert all(cell_sides(around_angers, 10, listings))  # listings on both sides: the grid's and SQL's
        client.get(url, ANGERS_10_KM)  # the town and the cached data read
        count_the_grid(client)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url, ANGERS_10_KM).content.decode()
        assert "34 activités" in html
        assert slugs(html) == [listing.slug for listing in listings[:20]]
        [counted] = counts(queries)
        assert "FLOOR" in counted  # the edge's cells, not the whole circle

    def test_a_page_never_counts_the_grid_itself(self, client, around_angers, grid_on, url):
        """Counting the grid takes 0.5 s at 100,000 listings and seconds at 1,000,000, after each publication: a page
        counts its circle in SQL until a map has counted the grid again."""
        client.get(url, {**ANGERS_10_KM, "kind": "producer"})  # the town and the cached data read, not the grid
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url, ANGERS_10_KM).content.decode()
        assert "34 activités" in html
        assert not any("department_id" in query["sql"] and "GROUP BY" in query["sql"] for query in queries)
        [counted] = counts(queries)
        assert "FLOOR" not in counted  # the whole circle in SQL
        count_the_grid(client)
        with CaptureQueriesContext(connection) as queries:
            assert "34 activités" in client.get(url, ANGERS_10_KM).content.decode()
        [counted] = counts(queries)
        assert "FLOOR" in counted  # now from the grid, the edge in SQL

    def test_another_filter_is_counted_in_sql(self, client, around_angers, grid_on, url):
        client.get(url, ANGERS_10_KM)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url, {**ANGERS_10_KM, "kind": "producer"}).content.decode()
        assert "34 activités" in html
        [counted] = counts(queries)
        assert "FLOOR" not in counted

    def test_without_a_grid_to_read_the_circle_is_counted_in_sql(self, client, around_angers, grid_on, url):
        client.get(url, {**ANGERS_10_KM, "kind": "producer"})  # the town and the cached data read, not the grid
        cache.add(f"{grid.KEY}.counting", True)  # another request counts the grid
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url, ANGERS_10_KM).content.decode()
        assert "34 activités" in html
        [counted] = counts(queries)
        assert "FLOOR" not in counted


@pytest.fixture
def stale_grid(client, towns, grid_on, django_capture_on_commit_callbacks):
    """Five listings within 2 km of Angers, two a page, and a grid counted when four were published: the fifth, on
    Angers' point (a cell wholly inside the circle), was published by a QuerySet.update() (a shell, a data fix),
    which no signal sees, so the grid kept for MAP_GRID_SECONDS still says four."""
    grid_on.LISTINGS_PER_PAGE = 2
    angers = towns["angers"]
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(4):
            ListingFactory(commune=angers, name=f"Ferme {i}", **at(angers, 0.4 * (i + 1), i))
        late = ListingFactory(commune=angers, name="Ferme 4", status=Listing.Status.PENDING, **at(angers, 0, 0))
    count_the_grid(client)
    assert "4 activités" in client.get("/carte/", ANGERS_10_KM).content.decode()
    Listing.objects.filter(pk=late.pk).update(status=Listing.Status.PUBLISHED)
    assert cell_sides(angers, 10, [late]) == (1, 0)
    return [listing.slug for listing in by_distance(angers, 10)]


@pytest.mark.parametrize("url", CIRCLE_LISTS)
class TestStaleGrid:
    def test_a_count_too_low_leaves_no_listing_off_the_pages(self, client, stale_grid, url):
        pages, last = list_pages(client, url, **ANGERS_10_KM)
        assert [slug for _, page in pages for slug in page] == stale_grid
        assert [number for number, _ in pages] == [1, 2, 3]
        assert "5 activités" in last  # the grid's count was found short and the circle counted in SQL

    def test_a_page_past_the_grid_s_end_is_not_another_page(self, client, stale_grid, url):
        third = slugs(client.get(url, {**ANGERS_10_KM, "page": 3}).content.decode())
        assert third == stale_grid[4:]
        past_the_end = client.get(url, {**ANGERS_10_KM, "page": 4})
        assert past_the_end.context["page_obj"].number == 3
        assert slugs(past_the_end.content.decode()) == stale_grid[4:]

    def test_a_count_too_high_gives_no_empty_page(self, client, stale_grid, url):
        Listing.objects.filter(slug__in=stale_grid[:2]).update(status=Listing.Status.PENDING)  # 5 → 3 behind its back
        pages, last = list_pages(client, url, **ANGERS_10_KM)
        assert [slug for _, page in pages for slug in page] == stale_grid[2:]
        assert all(page for _, page in pages)
        assert "3 activités" in last
        past_the_end = client.get(url, {**ANGERS_10_KM, "page": 3})
        assert past_the_end.context["page_obj"].number == 2
        assert slugs(past_the_end.content.decode()) == stale_grid[4:]

    def test_a_right_count_is_never_counted_in_sql_again(self, client, stale_grid, url):
        Listing.objects.filter(slug=stale_grid[0]).update(status=Listing.Status.PENDING)  # four again: right
        for page in (1, 2):
            with CaptureQueriesContext(connection) as queries:
                html = client.get(url, {**ANGERS_10_KM, "page": page}).content.decode()
            assert slugs(html) == stale_grid[2 * page - 1 : 2 * page + 1]
            assert "4 activités" in html
            assert all("FLOOR" in counted for counted in counts(queries))


def test_the_edge_is_read_from_the_index_of_the_grid_s_rows(client, around_angers, grid_on):
    """On PostgreSQL the ring's ranges read an index led by the grid's row (migration 0021), whose expression must be
    the very one ring.py writes: on (latitude, longitude) a range read every listing of France in its band of
    latitude. SQLite has no such index (its FLOOR is registered per connection): its ring is one query."""
    client.get("/carte/", ANGERS_10_KM)  # the town and the cached data read
    count_the_grid(client)
    with CaptureQueriesContext(connection) as queries:
        client.get("/carte/", ANGERS_10_KM)
    [counted] = counts(queries)
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Listing._meta.db_table)
        if connection.vendor == "postgresql":
            # A handful of rows: without these, any plan reads the table.
            cursor.execute(f"ANALYZE {Listing._meta.db_table}")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute(f"EXPLAIN {counted}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Index Only Scan using listing_published_grid_row" in plan, plan
    assert ("listing_published_grid_row" in indexes) == (connection.vendor == "postgresql")
