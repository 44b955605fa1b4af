"""The maps' data: the listings inside the visible box, or their counts per grid cell when the box holds too many.

A map asks for what it shows: `bbox=west,south,east,north` (degrees) at `zoom` (Leaflet's level), with the page's
filters. Up to CLUSTER_ABOVE matching listings come one by one; beyond, the answer is clusters: the listings counted
per cell of a grid about CELL_PX pixels wide at that zoom, each with its count, centroid and bounds (a click zooms
there). The grid is computed in SQL, GROUP BY FLOOR of the shifted coordinates: the same arithmetic on PostgreSQL
and SQLite, over the (status, latitude, longitude) indexes, so an answer costs what is on screen, not the size of
France. A cell holding a single listing is sent as that listing. A map never sorts (by distance or anything).

The answer is a GeoJSON FeatureCollection whose features are
  a listing: {"id": pk, geometry, properties: {"name", "slug", "categories": [category ids], "hours": index}}, with
             "market": true for markets, pick-up points and fairs (their own marker)
  a cluster: {geometry: its centroid, properties: {"count": n, "bounds": [west, south, east, north]}}
with, once per answer rather than per feature: "categories" {id: name}, "hours" [[is_open, label], …] (the open
label, computed once per distinct opening hours), "listing_url" (with {slug} to fill in), "clustered" and "total"
(listings in all). See static/js/map.js, which reads it.
"""

from django.db import connections
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from localdir.cache import cached_data
from localdir.translated import translated
from producers import hours, statuses
from producers.markets import MARKET_KINDS
from producers.models import Category, Listing
from producers.models.closures import paris_today
from producers.models.listing import CategoryIds

from . import grid, ring

# The maps' public face: views and tests read the grid's constants and the viewport from here.
from .cells import CELL_PX, LAT_RATIO, MAX_ZOOM, BadViewport, Viewport, cell_index, count  # noqa: F401

# More listings than this in the box: clusters. A few hundred markers stay light for a phone and its reader.
CLUSTER_ABOVE = 300
# From this zoom on (a street or two), listings come one by one whatever their number, up to SINGLES_LIMIT: cells
# would no longer split listings that share a point (a town's centre when no address was placed).
SINGLES_FROM_ZOOM = 16
SINGLES_LIMIT = 2000

# Whole metropolitan France with Corsica, and the overseas departments, as west, south, east, north.
FRANCE_BOUNDS = (-5.3, 41.3, 9.7, 51.2)
OVERSEAS_BOUNDS = {
    "971": (-61.85, 15.8, -60.95, 16.55),  # Guadeloupe
    "972": (-61.25, 14.38, -60.8, 14.9),  # Martinique
    "973": (-54.65, 2.1, -51.6, 5.8),  # Guyane
    "974": (55.2, -21.4, 55.85, -20.85),  # La Réunion
    "976": (44.98, -13.02, 45.32, -12.62),  # Mayotte
}


LISTING_FIELDS = ("pk", "slug", "name", "latitude", "longitude", "opening_hours", "kind")


def collection(listings, viewport, scope=None, circle=None):
    """The map's answer for `listings` (a filtered queryset of published listings) seen through `viewport`.

    Below SINGLES_FROM_ZOOM the box is first widened to whole cells of the zoom's grid, so that a cluster counts
    all of its cell whichever box asked. `scope` names the unfiltered set the listings are (grid.FRANCE or a
    department's pk): its clusters then come from the cached grid (grid.py) when there is one. With `circle`
    ((latitude, longitude, km): `listings` are the scope's within km of that point, and nothing else filters them),
    the cells wholly inside the circle come from the grid and the others are counted in SQL (ring.py).

    Queries: the listings (at most CLUSTER_ABOVE + 1 fetched), then when there are more, the grid's cells and the
    listings alone in their cell; their categories (read with their rows on PostgreSQL, from the link table
    elsewhere) and the temporary closures to come of those that have one (producers.statuses). The categories'
    names come from the cached data.
    """
    listings = listings.order_by().filter(latitude__isnull=False, longitude__isnull=False)
    one_by_one = viewport.zoom >= SINGLES_FROM_ZOOM
    if not one_by_one:
        # A box no screen shows at its zoom (the world at zoom 15) is counted coarser: an answer never holds more
        # than MAX_CELLS cells, or listings alone in theirs, however the request was made.
        viewport = viewport.coarsened()
    if one_by_one and viewport.box:
        west, south, east, north = viewport.box
        listings = listings.filter(latitude__range=(south, north), longitude__range=(west, east))
    elif viewport.box:
        # A cell holds its west and south edges, its east and north ones belong to the next.
        west, south, east, north = viewport.cell_box()
        listings = listings.filter(latitude__gte=south, latitude__lt=north, longitude__gte=west, longitude__lt=east)
    cells = None
    if scope is not None and not one_by_one:
        cells = grid.cells(scope, viewport) if circle is None else ring.cells(scope, viewport, circle, listings)
        if cells is not None and sum(cell["count"] for cell in cells) <= CLUSTER_ABOVE:
            cells = None  # few enough to come one by one
    if cells is None:
        rows = _rows(listings, SINGLES_LIMIT if one_by_one else CLUSTER_ABOVE + 1)
        if not one_by_one and len(rows) > CLUSTER_ABOVE:
            cells = count(listings, viewport.cell)
    clusters = []
    if cells is not None:
        clusters = [cell for cell in cells if cell["count"] > 1]
        alone = [cell["first"] for cell in cells if cell["count"] == 1]
        # Through the page's query (published): a cached grid (grid.py) may be older than a withdrawal.
        rows = _rows(listings.filter(pk__in=alone)) if alone else []
    features, lookups = _listing_features(rows)
    features += [_cluster_feature(cell) for cell in clusters]
    return {
        "type": "FeatureCollection",
        "features": features,
        **lookups,
        "clustered": bool(clusters),
        "total": len(rows) + sum(cell["count"] for cell in clusters),
    }


def _cluster_feature(cell):
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [round(cell["sum_lon"] / cell["count"], 5), round(cell["sum_lat"] / cell["count"], 5)],
        },
        "properties": {
            "count": cell["count"],
            "bounds": [round(cell[key], 5) for key in ("west", "south", "east", "north")],
        },
    }


def _rows(listings, limit=None):
    """The listings' rows (LISTING_FIELDS, then their category ids): on PostgreSQL the ids stored on each row
    (CategoryIds), elsewhere their links read in a second query, for these listings only."""
    if connections[listings.db].vendor == "postgresql":
        return list(listings.annotate(category_ids=CategoryIds()).values_list(*LISTING_FIELDS, "category_ids")[:limit])
    rows = list(listings.values_list(*LISTING_FIELDS)[:limit])
    found = {}
    if rows:
        links = Listing.categories.through.objects.filter(listing_id__in=[row[0] for row in rows])
        for listing_id, category_id in links.values_list("listing_id", "category_id"):
            found.setdefault(listing_id, []).append(category_id)
    return [(*row, found.get(row[0], ())) for row in rows]


def _listing_features(rows):
    """Features for listing rows, and the lookups they point into: categories by id, distinct open labels."""
    categories = _categories()
    moment, language = timezone.now(), get_language()
    closures = statuses.closures_by_listing([row[0] for row in rows], paris_today(moment))
    names = {}
    # The popup says what the card says ("Fermé · ouvre mardi à 9 h"), at one moment for all; many listings share
    # the same hours, which are read once, and the same label, which is sent once. The few with a temporary
    # closure to come get their own status.
    label_of_hours, labels = {}, {}
    features = []
    for pk, slug, name, lat, lon, opening_hours, kind, category_ids in rows:
        key = (opening_hours, pk) if pk in closures else opening_hours
        if key not in label_of_hours:
            status = hours.status(opening_hours, moment, closures.get(pk, ()), language)
            label_of_hours[key] = labels.setdefault((status.is_open, status.label), len(labels))
        # In the taxonomy's order; an id the cached taxonomy does not know yet (a category added behind the models'
        # back) is left out rather than fail the map.
        listing_categories = sorted((c for c in category_ids if c in categories), key=lambda c: categories[c][0])
        for category in listing_categories:
            if category not in names:
                names[category] = translated(*categories[category][1:])
        properties = {
            "name": name,
            "slug": slug,
            "categories": listing_categories,
            "hours": label_of_hours[key],
        }
        if kind in MARKET_KINDS:
            properties["market"] = True
        features.append(
            {
                "type": "Feature",
                "id": pk,
                "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                "properties": properties,
            }
        )
    lookups = {
        "categories": {str(pk): name for pk, name in names.items()},
        "hours": [[is_open, label] for is_open, label in labels],
        "listing_url": reverse("producers:listing", kwargs={"slug": "SLUG"}).replace("SLUG", "{slug}"),
    }
    return features, lookups


def _categories():
    """{category id: (rank, name, name in English)} of every category, ranked in the taxonomy's order (position,
    then name), from the cached data: a popup lists a listing's categories in that order."""

    def compute():
        found = sorted(Category.objects.values_list("pk", "position", "name", "name_en"), key=lambda r: r[1:3])
        return {pk: (rank, name, name_en) for rank, (pk, _position, name, name_en) in enumerate(found)}

    return cached_data("maps.categories", compute)
