"""The maps' data by visible box: listings one by one, or clusters counted in SQL when the box holds too many.

The same expectations run on SQLite and on PostgreSQL (`make test` runs the suite on both): the grid's cells, counts,
centroids and bounds are the same numbers on each.
"""

import json
import math
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localdir.cache import generation
from producers import maps
from producers.maps import grid, ring
from producers.models import Closure, Listing
from producers.models.closures import paris_today
from tests.factories import CategoryFactory, CommuneFactory, DepartmentFactory, ListingFactory, RegionFactory
from tests.producers.map_data import popups

pytestmark = pytest.mark.django_db

# Zoom 8: cells of 0.3515625° of longitude by 0.24609375° of latitude. Angers, Avrillé and Saint-Barthélemy share
# one cell, Cholet is in another, Saumur in a third.
ZOOM = 8
SAUMUR = (47.2600, -0.0769)


def department_geojson(department):
    return reverse("producers:department_geojson", kwargs={"code": department.code, "slug": department.slug})


FRANCE_GEOJSON = "/carte.geojson"


def commune_geojson(town):
    return reverse("producers:commune_geojson", kwargs={"insee_code": town.insee_code, "slug": town.slug})


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def spread(town, count, **fields):
    """`count` listings around a town, each a few hundred metres from the next."""
    return [
        ListingFactory(commune=town, latitude=town.latitude + 0.002 * i, longitude=town.longitude - 0.003 * i, **fields)
        for i in range(count)
    ]


def clusters(data):
    return [feature for feature in data["features"] if "count" in feature["properties"]]


def listings(data):
    return [feature for feature in data["features"] if "count" not in feature["properties"]]


def expected_cells(points, zoom):
    """The grid of producers/maps.py computed here in Python: {(x, y): [(lat, lon), …]}."""
    cell = 360 * maps.CELL_PX / (256 * 2**zoom)
    cells = {}
    for lat, lon in points:
        key = (math.floor((lon + 180) / cell), math.floor((lat + 90) / (cell * maps.LAT_RATIO)))
        cells.setdefault(key, []).append((lat, lon))
    return cells


@pytest.fixture
def saumur(maine_et_loire):
    return CommuneFactory(
        insee_code="49328", name="Saumur", postal_codes="49400", latitude=SAUMUR[0], longitude=SAUMUR[1]
    )


@pytest.fixture
def many(towns, saumur, monkeypatch, django_capture_on_commit_callbacks):
    """Twelve published listings in Maine-et-Loire: seven around Angers, four in Cholet, one alone in Saumur; a
    pending one; and two in Bordeaux. Clusters above five listings in the box. Published as the site does: the
    stored counts are recounted after the commit."""
    monkeypatch.setattr(maps, "CLUSTER_ABOVE", 5)
    vegetables = CategoryFactory(name="Légumes", slug="legumes")
    fruit = CategoryFactory(name="Fruits", slug="fruits")
    with django_capture_on_commit_callbacks(execute=True):
        made = {
            "angers": spread(towns["angers"], 4, categories=[vegetables])
            + spread(towns["avrille"], 3, categories=[fruit]),
            "cholet": spread(towns["cholet"], 4, categories=[vegetables, fruit]),
            "saumur": spread(saumur, 1, categories=[fruit]),
            "bordeaux": spread(towns["bordeaux"], 2, categories=[vegetables]),
        }
        ListingFactory(commune=towns["cholet"], status=Listing.Status.PENDING)
    return made


class TestClusters:
    def test_a_box_with_too_many_listings_gets_clusters_counted_per_cell(self, client, maine_et_loire, many):
        data = get(client, department_geojson(maine_et_loire), zoom=ZOOM)
        assert data["clustered"] is True
        published = [item for key in ("angers", "cholet", "saumur") for item in many[key]]
        cells = expected_cells([(item.latitude, item.longitude) for item in published], ZOOM)
        assert sorted(len(points) for points in cells.values()) == [1, 4, 7]
        found = sorted(clusters(data), key=lambda feature: feature["properties"]["count"])
        assert [feature["properties"]["count"] for feature in found] == [4, 7]
        for feature in found:
            [points] = [p for p in cells.values() if len(p) == feature["properties"]["count"]]
            lats, lons = [lat for lat, _ in points], [lon for _, lon in points]
            assert feature["geometry"]["coordinates"] == [
                round(sum(lons) / len(lons), 5),
                round(sum(lats) / len(lats), 5),
            ]
            assert feature["properties"]["bounds"] == [
                round(min(lons), 5),
                round(min(lats), 5),
                round(max(lons), 5),
                round(max(lats), 5),
            ]
        # The listing alone in its cell comes as itself, with its popup.
        [alone] = listings(data)
        assert alone["id"] == many["saumur"][0].pk
        assert popups(data)[many["saumur"][0].name]["categories"] == "Fruits"
        assert data["total"] == 12 == sum(f["properties"]["count"] for f in found) + 1

    def test_few_enough_listings_come_one_by_one(self, client, maine_et_loire, many, monkeypatch):
        monkeypatch.setattr(maps, "CLUSTER_ABOVE", 12)
        data = get(client, department_geojson(maine_et_loire), zoom=ZOOM)
        assert data["clustered"] is False
        assert not clusters(data)
        assert len(listings(data)) == data["total"] == 12

    def test_zoomed_in_on_a_street_listings_come_one_by_one_whatever_their_number(self, client, maine_et_loire, many):
        data = get(client, department_geojson(maine_et_loire), zoom=maps.SINGLES_FROM_ZOOM)
        assert data["clustered"] is False
        assert len(listings(data)) == 12

    def test_the_sum_of_the_counts_is_the_number_of_matching_listings_in_the_box(self, client, many):
        west_of_france = "-2,44,1,48"
        data = get(client, FRANCE_GEOJSON, bbox=west_of_france, zoom=6)
        assert data["clustered"] is True
        counted = sum(f["properties"]["count"] for f in clusters(data)) + len(listings(data))
        assert counted == data["total"] == 14  # Maine-et-Loire's twelve and Bordeaux's two

    def test_a_click_on_a_cluster_zooms_in_to_its_listings(self, client, maine_et_loire, many):
        """What the map does with a cluster: ask for its bounds at a higher zoom, and get fewer in each cluster."""
        data = get(client, department_geojson(maine_et_loire), zoom=ZOOM)
        angers = max(clusters(data), key=lambda feature: feature["properties"]["count"])
        west, south, east, north = angers["properties"]["bounds"]
        closer = get(client, department_geojson(maine_et_loire), bbox=f"{west},{south},{east},{north}", zoom=13)
        assert closer["total"] == 7
        assert max((f["properties"]["count"] for f in clusters(closer)), default=1) < 7


class TestBox:
    def test_only_listings_inside_the_box_are_sent(self, client, maine_et_loire, many):
        around_cholet = "-0.95,47.0,-0.8,47.1"
        data = get(client, department_geojson(maine_et_loire), bbox=around_cholet, zoom=12)
        assert {f["id"] for f in listings(data)} == {item.pk for item in many["cholet"]}

    def test_the_national_map_covers_every_department(self, client, many):
        data = get(client, FRANCE_GEOJSON, bbox="-0.7,44.7,-0.4,45", zoom=10)
        assert {f["id"] for f in listings(data)} == {item.pk for item in many["bordeaux"]}

    def test_the_page_filters_apply_inside_the_box(self, client, maine_et_loire, many):
        data = get(client, department_geojson(maine_et_loire), bbox="-1,47,0,48", zoom=ZOOM, category="fruits")
        expected = many["angers"][4:] + many["cholet"] + many["saumur"]  # Avrillé's three have fruit
        assert data["total"] == len(expected) == 8
        assert sum(f["properties"]["count"] for f in clusters(data)) + len(listings(data)) == 8

    def test_a_town_and_distance_filter_clusters_without_sorting_by_distance(self, client, maine_et_loire, many):
        url = department_geojson(maine_et_loire)
        with CaptureQueriesContext(connection) as queries:
            data = get(client, url, bbox="-2,46,1,48", zoom=ZOOM, commune="Angers", distance="20")
        assert data["total"] == 7  # Cholet and Saumur are further than 20 km
        assert not [q["sql"] for q in queries.captured_queries if "distance_sq" in q["sql"].split("ORDER BY")[-1]]

    def test_the_town_page_map_takes_a_box_too(self, client, many, towns):
        angers = towns["angers"]
        url = reverse("producers:commune_geojson", kwargs={"insee_code": angers.insee_code, "slug": angers.slug})
        everything_around = get(client, url)
        assert everything_around["total"] == 7
        north_of_angers = get(client, url, bbox="-1,47.48,0,48", zoom=maps.SINGLES_FROM_ZOOM)
        assert {f["id"] for f in listings(north_of_angers)} == {item.pk for item in many["angers"][4:]}


class TestWholeCells:
    def test_below_street_level_the_box_is_widened_to_the_cells_it_touches(self, client, towns, many):
        """A cluster counts all of its cell whichever box asked, so that the map's clusters do not change with a pan."""
        angers = towns["angers"]
        just_angers = f"{angers.longitude - 0.001},{angers.latitude - 0.001},{angers.longitude},{angers.latitude}"
        [x, y] = maps.cell_index(angers.latitude, angers.longitude, maps.Viewport(ZOOM).cell)
        in_cell = [
            item
            for item in many["angers"]
            if maps.cell_index(item.latitude, item.longitude, maps.Viewport(ZOOM).cell) == (x, y)
        ]
        data = get(client, FRANCE_GEOJSON, bbox=just_angers, zoom=ZOOM)
        assert data["total"] == len(in_cell) == 7
        exact = get(client, FRANCE_GEOJSON, bbox=just_angers, zoom=maps.SINGLES_FROM_ZOOM)
        assert exact["total"] == 1  # only the listing on Angers' own point


def answer(client, url, approx=False, **params):
    """The answer as numbers to compare: clusters and listings, coordinates to the metre."""
    data = get(client, url, **params)
    features = sorted(
        (
            feature["properties"].get("count", 1),
            feature.get("id") or 0,
            tuple(feature["geometry"]["coordinates"]),
            tuple(feature["properties"].get("bounds", ())),
        )
        for feature in data["features"]
    )
    # Centroids are sums divided by counts: added up in another order, the last digits may differ.
    if approx:
        features = [(n, pk, pytest.approx(point, abs=2e-5), bounds) for n, pk, point, bounds in features]
    return data["total"], data["clustered"], features


class TestBoxTooLargeForItsZoom:
    """A box no screen shows at its zoom (the world at street level) costs what a screen's worth of cells costs."""

    def test_the_world_at_street_zoom_comes_in_clusters(self, client, many):
        data = get(client, FRANCE_GEOJSON, bbox="-180,-90,180,90", zoom=15)
        assert data["clustered"] is True
        assert len(data["features"]) <= 3, "a few clusters, not every listing one by one"
        assert data["total"] == 14

    def test_no_box_spans_more_cells_than_the_limit(self):
        from producers.maps.cells import MAX_CELLS

        world = maps.Viewport.from_query({"bbox": "-180,-90,180,90", "zoom": "15"}, 6).coarsened()
        assert world.zoom < 15 and world.cell_count() <= MAX_CELLS
        # A big screen over Angers at street level keeps its zoom: 1920 x 1080 px at zoom 15.
        screen = maps.Viewport.from_query({"bbox": "-0.62,47.45,-0.45,47.5", "zoom": "15"}, 6).coarsened()
        assert screen.zoom == 15


class TestCachedGrid:
    """Unfiltered maps take their clusters from a grid kept in the cache: the same answer as counting in SQL."""

    VIEWS = [
        {"zoom": "5"},
        {"zoom": "6", "bbox": "-5.3,41.3,9.7,51.2"},
        {"zoom": "8", "bbox": "-2,46,1,48"},
        {"zoom": "9", "bbox": "-0.9,47.3,-0.4,47.6"},
        {"zoom": "10", "bbox": "-1,45,0,48"},
        {"zoom": "12", "bbox": "-1,47,0,48"},  # closer than the grid: counted in SQL
    ]

    def test_it_gives_the_answer_sql_gives(self, client, maine_et_loire, many, settings, grid_on):
        urls = [FRANCE_GEOJSON, department_geojson(maine_et_loire)]
        settings.MAP_GRID_SECONDS = 0
        counted = [answer(client, url, approx=True, **params) for url in urls for params in self.VIEWS]
        settings.MAP_GRID_SECONDS = 600
        with CaptureQueriesContext(connection) as queries:
            from_grid = [answer(client, url, **params) for url in urls for params in self.VIEWS]
        assert from_grid == counted
        assert any(clustered for _, clustered, _ in counted)
        # The grid is counted once, then read from the cache.
        assert len([q for q in queries.captured_queries if "GROUP BY" in q["sql"]]) == 1 + 2  # and zoom 12's two

    @pytest.mark.parametrize("grid_seconds", [600, 0], ids=["grid", "sql"])
    def test_an_unfiltered_map_answers_as_with_its_filters_left_empty(
        self, client, maine_et_loire, many, settings, grid_on, clock, grid_seconds
    ):
        """A map without filters skips the filter form: the same answer, listings' popups included, as the form's
        own path gives when every filter is sent empty."""
        settings.MAP_GRID_SECONDS = grid_seconds
        empty = {"q": "", "category": "", "kind": "", "open_now": ""}
        for url in [FRANCE_GEOJSON, department_geojson(maine_et_loire)]:
            for params in self.VIEWS:
                assert get(client, url, **params) == get(client, url, **params, **empty), (url, params)
        data = get(client, department_geojson(maine_et_loire), zoom="8")
        assert clusters(data) and popups(data)  # clusters and listings with their popups were compared

    # Angers + 50 km: the cells wholly inside the circle come from the grid, those its edge crosses from SQL.
    CIRCLE_VIEWS = [
        {"zoom": "9"},  # a map's first request, before it fits its view: the whole circle
        {"zoom": "6", "bbox": "-5.3,41.3,9.7,51.2"},
        {"zoom": "8", "bbox": "-2,46,1,48"},
        {"zoom": "9", "bbox": "-0.9,47.3,-0.4,47.6"},  # a box cutting the circle
        {"zoom": "10", "bbox": "-1.3,47,0.2,48"},
    ]

    @pytest.fixture
    def around_angers(self, towns, many, django_capture_on_commit_callbacks):
        """Listings just inside and just outside 50 km of Angers (east and south of it), a few per cell."""
        angers = towns["angers"]
        km_per_degree_lon = 111.32 * math.cos(math.radians(angers.latitude))
        with django_capture_on_commit_callbacks(execute=True):
            for km in (49.9, 49.97, 50.03, 50.1):
                ListingFactory(
                    commune=angers, latitude=angers.latitude, longitude=angers.longitude + km / km_per_degree_lon
                )
                ListingFactory(commune=angers, latitude=angers.latitude - km / 111.32, longitude=angers.longitude)
            for i in range(6):  # more within a cell wholly inside the circle
                ListingFactory(commune=angers, latitude=angers.latitude + 0.1 + 0.001 * i, longitude=angers.longitude)
        return angers

    @pytest.mark.parametrize("distance", ["20", "50"])
    def test_a_town_and_distance_gives_the_answer_sql_gives(
        self, client, maine_et_loire, settings, grid_on, around_angers, distance, monkeypatch
    ):
        town = {"commune": around_angers.insee_code, "distance": distance}
        urls = [FRANCE_GEOJSON, department_geojson(maine_et_loire), commune_geojson(around_angers)]
        settings.MAP_GRID_SECONDS = 0
        counted = [answer(client, url, approx=True, **town, **view) for url in urls for view in self.CIRCLE_VIEWS]
        settings.MAP_GRID_SECONDS = 600
        in_sql = []
        count_ring = ring._count_ring
        monkeypatch.setattr(ring, "_count_ring", lambda *a: in_sql.append(count_ring(*a)) or in_sql[-1])
        from_grid = [answer(client, url, **town, **view) for url in urls for view in self.CIRCLE_VIEWS]
        assert from_grid == counted
        assert all(clustered for _, clustered, _ in counted)
        # Angers' 4, Avrillé's 3, the 6 north of Angers; at 50 km Saumur's and the 4 just inside the edge too.
        assert max(total for total, _, _ in counted) == (18 if distance == "50" else 13)
        # Both sides answered: the grid inside the circle, SQL on its edge, never the whole circle in SQL.
        assert len(in_sql) == len(from_grid)
        ring_counts = [sum(row["count"] for row in rows) for rows in in_sql]
        assert all(n < total for n, (total, _, _) in zip(ring_counts, from_grid, strict=True))
        assert any(ring_counts) == (distance == "50")  # the listings near 50 km are on the edge's cells

    def test_other_filters_with_a_town_are_counted_in_sql(self, client, settings, grid_on, around_angers):
        """A category changes what a cell of the grid holds: the grid cannot answer, SQL does."""
        params = {"commune": around_angers.insee_code, "distance": "50", "category": "fruits", "zoom": "8"}
        settings.MAP_GRID_SECONDS = 0
        counted = answer(client, FRANCE_GEOJSON, approx=True, **params)
        settings.MAP_GRID_SECONDS = 600
        assert answer(client, FRANCE_GEOJSON, **params) == counted
        assert counted[0] == 4  # the three of Avrillé and the one of Saumur

    def test_a_town_and_distance_never_read_a_grid_being_counted_again(
        self, client, settings, grid_on, around_angers, django_capture_on_commit_callbacks
    ):
        """Unfiltered maps read the previous grid while another worker counts it again; a circle's answer, exact
        before the grid answered it, stays exact: a listing published inside the circle counts at once."""
        town = {"commune": around_angers.insee_code, "distance": "50", "zoom": "9"}
        before = answer(client, FRANCE_GEOJSON, **town)  # the grid counted and stored
        with django_capture_on_commit_callbacks(execute=True):
            ListingFactory(
                commune=around_angers, latitude=around_angers.latitude + 0.1, longitude=around_angers.longitude
            )
        grid._memo.clear()  # another worker, while a third counts the grid again
        cache.add(f"{grid.KEY}.counting", True)
        settings.MAP_GRID_SECONDS = 0
        counted = answer(client, FRANCE_GEOJSON, approx=True, **town)
        settings.MAP_GRID_SECONDS = 600
        assert counted[0] == before[0] + 1
        assert answer(client, FRANCE_GEOJSON, **town) == counted

    def test_a_town_and_distance_never_read_a_previous_grid_that_another_thread_replaced(
        self, client, settings, grid_on, around_angers, django_capture_on_commit_callbacks, monkeypatch
    ):
        """The same, when another thread of the process stores the current grid between this request's read of the
        previous one and its check of the generation: the check is of the grid read, not of the process's latest."""
        town = {"commune": around_angers.insee_code, "distance": "50", "zoom": "9"}
        before = answer(client, FRANCE_GEOJSON, **town)
        with django_capture_on_commit_callbacks(execute=True):
            ListingFactory(
                commune=around_angers, latitude=around_angers.latitude + 0.1, longitude=around_angers.longitude
            )
        grid._memo.clear()
        cache.add(f"{grid.KEY}.counting", True)
        read = grid._levels

        def read_then_replaced(seconds, count=True):
            found = read(seconds, count)  # the previous grid: another request counts it again
            # meanwhile another thread of this process reads the current one
            grid._memo["levels"] = {**grid._memo["levels"], "generation": generation()}
            return found

        monkeypatch.setattr(grid, "_levels", read_then_replaced)
        assert answer(client, FRANCE_GEOJSON, **town)[0] == before[0] + 1

    def test_while_another_request_counts_the_grid_the_map_counts_its_box(self, client, many, grid_on):
        cache.add(f"{grid.KEY}.counting", True)
        with CaptureQueriesContext(connection) as queries:
            assert get(client, FRANCE_GEOJSON, zoom=6)["total"] == 14
        [counted] = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"] and "FLOOR" in q["sql"]]
        assert "department_id" not in counted.split("GROUP BY")[1]  # the box's cells, not the grid's

    def test_while_the_grid_is_counted_again_the_previous_count_is_read(
        self, client, towns, many, grid_on, django_capture_on_commit_callbacks
    ):
        assert get(client, FRANCE_GEOJSON, zoom=6)["total"] == 14
        with django_capture_on_commit_callbacks(execute=True):
            spread(towns["cholet"], 1)
        cache.add(f"{grid.KEY}.counting", True)  # another request is counting
        assert get(client, FRANCE_GEOJSON, zoom=6)["total"] == 14
        cache.delete(f"{grid.KEY}.counting")
        assert get(client, FRANCE_GEOJSON, zoom=6)["total"] == 15

    def test_a_withdrawn_listing_never_shows_from_an_old_count(
        self, client, many, grid_on, django_capture_on_commit_callbacks, monkeypatch
    ):
        monkeypatch.setattr(maps, "CLUSTER_ABOVE", 1)
        [saumur] = many["saumur"]
        assert saumur.pk in {f["id"] for f in listings(get(client, FRANCE_GEOJSON, zoom=ZOOM))}
        with django_capture_on_commit_callbacks(execute=True):
            saumur.status = Listing.Status.UNPUBLISHED
            saumur.save()
        cache.add(f"{grid.KEY}.counting", True)
        assert saumur.pk not in {f["id"] for f in listings(get(client, FRANCE_GEOJSON, zoom=ZOOM))}

    def test_a_filtered_map_is_counted_in_sql(self, client, many, grid_on):
        assert get(client, FRANCE_GEOJSON, zoom=6)["total"] == 14
        assert get(client, FRANCE_GEOJSON, zoom=6, category="fruits")["total"] == 8

    def test_a_listing_withdrawn_behind_the_grids_back_is_not_shown(self, client, many, grid_on):
        """Another process (cron, another worker with its own cache) withdrew it: the cached grid still counts it,
        but its name and link never reach the map."""
        saumur = many["saumur"][0]
        view = {"zoom": "8", "bbox": "-2,46,1,48"}
        assert saumur.pk in [f.get("id") for f in get(client, FRANCE_GEOJSON, **view)["features"]]
        Listing.objects.filter(pk=saumur.pk).update(status=Listing.Status.UNPUBLISHED)  # no signal: no new generation
        data = get(client, FRANCE_GEOJSON, **view)
        assert saumur.pk not in [f.get("id") for f in data["features"]]
        assert saumur.name not in json.dumps(data, ensure_ascii=False)

    def test_a_listing_published_shows_at_once(self, client, towns, many, grid_on, django_capture_on_commit_callbacks):
        assert get(client, FRANCE_GEOJSON, zoom=6)["total"] == 14
        with django_capture_on_commit_callbacks(execute=True):
            spread(towns["cholet"], 1)
        assert get(client, FRANCE_GEOJSON, zoom=6)["total"] == 15


class TestCompactAnswer:
    def test_category_names_and_open_labels_are_sent_once(self, client, maine_et_loire, many, monkeypatch):
        monkeypatch.setattr(maps, "CLUSTER_ABOVE", 100)
        data = get(client, department_geojson(maine_et_loire))
        assert data["categories"] == {
            str(pk): name for pk, name in [(c.pk, c.name) for c in many["cholet"][0].categories.all()]
        }
        assert len(data["hours"]) == 1  # every listing has the factory's hours: one label for all
        body = json.dumps(data["features"], ensure_ascii=False)
        assert "Légumes" not in body and "Fruits" not in body
        assert set(listings(data)[0]["properties"]) == {"name", "slug", "categories", "hours"}


class TestListingsRead:
    """The listings sent one by one: their categories (read with their rows on PostgreSQL), their names from the
    cached taxonomy, and their temporary closures read only for those that have one."""

    def test_a_popup_lists_the_categories_in_the_taxonomys_order_and_follows_a_change(
        self, client, maine_et_loire, towns, django_capture_on_commit_callbacks
    ):
        second = CategoryFactory(name="Safran", slug="safran", position=2)
        first = CategoryFactory(name="Escargots", slug="escargots", position=1)
        tied = CategoryFactory(name="Lavande", slug="lavande", position=2)  # same position: by name
        [listing] = spread(towns["angers"], 1, categories=[second, tied, first], name="La ferme")
        data = get(client, department_geojson(maine_et_loire))
        assert popups(data)["La ferme"]["categories"] == "Escargots, Lavande, Safran"
        # Links changed without saving the listing (as the admin's inline does): read at once, and a category
        # created since (the taxonomy's cached names dropped) is named.
        with django_capture_on_commit_callbacks(execute=True):
            truffles = CategoryFactory(name="Truffes", slug="truffes", position=0)
        listing.categories.set([second, truffles])
        data = get(client, department_geojson(maine_et_loire))
        assert popups(data)["La ferme"]["categories"] == "Truffes, Safran"
        assert set(data["categories"].values()) == {"Truffes", "Safran"}

    def test_english_names_on_english_maps(self, client, maine_et_loire, towns):
        fruit = CategoryFactory(name="Fruits rouges", name_en="Berries", slug="fruits-rouges")
        spread(towns["angers"], 1, categories=[fruit], name="La ferme")
        url = "/en" + department_geojson(maine_et_loire)
        assert popups(get(client, url))["La ferme"]["categories"] == "Berries"

    @pytest.mark.parametrize("cluster_above", [5, 100], ids=["clustered", "one-by-one"])
    def test_closures_are_read_only_for_the_listings_that_have_one(
        self, client, maine_et_loire, many, monkeypatch, cluster_above, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr(maps, "CLUSTER_ABOVE", cluster_above)
        url = department_geojson(maine_et_loire)
        get(client, url)  # the cached data (taxonomy, closures' last days) read once
        with CaptureQueriesContext(connection) as queries:
            data = get(client, url)
        assert listings(data)
        assert not [q for q in queries.captured_queries if "producers_closure" in q["sql"]]
        [saumur] = many["saumur"]
        with django_capture_on_commit_callbacks(execute=True):
            Closure.objects.create(listing=saumur, starts_on=paris_today(), ends_on=paris_today() + timedelta(days=3))
        get(client, url)
        with CaptureQueriesContext(connection) as queries:
            data = get(client, url)
        [read] = [q["sql"] for q in queries.captured_queries if "producers_closure" in q["sql"]]
        assert str(saumur.pk) in read and str(many["cholet"][0].pk) not in read
        assert popups(data)[saumur.name]["is_open"] is False
        assert popups(data)[saumur.name]["open_label"].startswith("Fermé temporairement")


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "a,b,c,d"},
        {"bbox": "1,2,3"},
        {"bbox": "1,2,3,4,5"},
        {"bbox": "nan,46,1,47"},
        {"bbox": "-1,46,inf,47"},
        {"bbox": "1,46,-1,47"},  # west of east
        {"bbox": "-1,47,1,46"},  # south of north
        {"bbox": "", "zoom": "x"},
        {"zoom": "6.5"},
        {"zoom": "99"},
        {"zoom": "-1"},
        {"bbox": "-1,46,1,47", "zoom": "1e9"},
    ],
)
def test_a_bad_box_or_zoom_is_a_400_that_says_why(client, maine_et_loire, towns, params):
    angers = towns["angers"]
    for url in [
        department_geojson(maine_et_loire),
        reverse("producers:commune_geojson", kwargs={"insee_code": angers.insee_code, "slug": angers.slug}),
        FRANCE_GEOJSON,
    ]:
        response = client.get(url, params)
        assert response.status_code == 400, (url, params)
        assert "bbox" in response.json()["error"] or "zoom" in response.json()["error"]


def test_a_box_beyond_the_world_is_read_as_the_world(client, many):
    """A map zoomed far out shows the world several times over: Leaflet's bounds go past ±180°."""
    data = get(client, FRANCE_GEOJSON, bbox="-540,-100,540,100", zoom=2)
    assert data["total"] == 14


class TestQueryCounts:
    """Each answer costs the same number of queries at both sizes, and both sizes really answer rows."""

    def count(self, client, url, params):
        with CaptureQueriesContext(connection) as queries:
            data = get(client, url, **params)
        return len(queries), data

    @pytest.mark.parametrize("cluster_above", [5, 100], ids=["clustered", "one-by-one"])
    @pytest.mark.parametrize(
        "params",
        [
            {"zoom": "8"},
            {"zoom": "8", "bbox": "-2,46,1,48", "category": "legumes"},
            {"zoom": "13", "bbox": "-1,47,0,48", "commune": "Angers", "distance": "50"},
        ],
    )
    def test_department_and_france(self, client, maine_et_loire, towns, saumur, monkeypatch, cluster_above, params):
        monkeypatch.setattr(maps, "CLUSTER_ABOVE", cluster_above)
        vegetables = CategoryFactory(name="Légumes", slug="legumes")
        for url in [department_geojson(maine_et_loire), FRANCE_GEOJSON]:
            Listing.objects.all().delete()
            # Saumur's listing stays alone in its cell: a clustered answer also sends a listing, at both sizes.
            spread(towns["angers"], 6, categories=[vegetables])
            spread(saumur, 1, categories=[vegetables])
            self.count(client, url, params)  # builds this process's index of place names once
            small, small_data = self.count(client, url, params)
            spread(towns["angers"], 20, categories=[vegetables])
            spread(towns["cholet"], 20, categories=[vegetables])
            self.count(client, url, params)  # publishing dropped the cached data: both sizes are measured warm
            large, large_data = self.count(client, url, params)
            assert 0 < small_data["total"] < large_data["total"], (url, params)
            assert small_data["clustered"] == large_data["clustered"] == (cluster_above == 5)
            assert listings(small_data) and listings(large_data)
            assert small == large, (url, params)


class TestFranceMapPage:
    @pytest.fixture
    def overseas(self, db):
        region = RegionFactory(code="01", name="Guadeloupe")
        return DepartmentFactory(code="971", name="Guadeloupe", region=region)

    def test_it_shows_the_list_and_a_map_of_all_france(self, client, many, overseas):
        response = client.get("/carte/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "<title>Carte des producteurs locaux en France" in html
        assert "14 activités" in html  # the list without JavaScript, paginated as on department pages
        assert 'data-geojson-url="/carte.geojson"' in html
        assert f'data-bounds="{",".join(f"{v:g}" for v in maps.FRANCE_BOUNDS)}"' in html
        assert 'data-fit="listings"' not in html  # the national map asks for its view
        # The overseas departments: links to their pages, which the script turns into moves of the map.
        assert f'<a href="{overseas.get_absolute_url()}" data-map-bounds="-61.85,15.8,-60.95,16.55"' in html

    def test_its_filters_work_nationally(self, client, many):
        html = client.get("/carte/", {"commune": "Bordeaux", "distance": "10"}).content.decode()
        assert "2 activités" in html
        assert 'data-center="44.837800,-0.579200" data-zoom="11"' in html
        assert "Bordeaux" in html

    def test_it_is_in_english_under_en(self, client, many):
        html = client.get("/en/carte/").content.decode()
        assert "<title>Map of local producers in France" in html
        assert 'data-geojson-url="/en/carte.geojson"' in html

    def test_the_home_page_and_the_sitemap_link_to_it(self, client, many):
        assert 'href="/carte/"' in client.get("/").content.decode()
        assert "/carte/</loc>" in client.get("/sitemap-carte.xml").content.decode()
