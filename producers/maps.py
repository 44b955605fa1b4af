"""The maps' data: the listings inside the visible box, or their counts per grid cell when the box holds too many.

A map asks for what it shows: `bbox=west,south,east,north` (degrees) at `zoom` (Leaflet's level), with the page's
filters. Up to CLUSTER_ABOVE matching listings come one by one; beyond, the answer is clusters: the listings counted
per cell of a grid about CELL_PX pixels wide at that zoom, each with its count, centroid and bounds (a click zooms
there). The grid is computed in SQL, GROUP BY FLOOR of the shifted coordinates: the same arithmetic on PostgreSQL
and SQLite, over the (status, latitude, longitude) indexes, so an answer costs what is on screen, not the size of
France. A cell holding a single listing is sent as that listing. A map never sorts (by distance or anything).

The answer is a GeoJSON FeatureCollection whose features are
  a listing: {"id": pk, geometry, properties: {"name", "slug", "categories": [category ids], "hours": index}}
  a cluster: {geometry: its centroid, properties: {"count": n, "bounds": [west, south, east, north]}}
with, once per answer rather than per feature: "categories" {id: name}, "hours" [[is_open, label], …] (the open
label, computed once per distinct opening hours), "listing_url" (with {slug} to fill in), "clustered" and "total"
(listings in all). See static/js/map.js, which reads it.
"""

import math
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Max, Min
from django.db.models.functions import Floor
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from . import hours
from .models import Category, Listing

# More listings than this in the box: clusters. A few hundred markers stay light for a phone and its reader.
CLUSTER_ABOVE = 300
# A cluster is about this wide on screen (a 256 px tile holds four by four).
CELL_PX = 64
# Cells are as tall as wide on screen at mid-France (cos 46° ≈ 0.7): a constant, so the grid stays put when the map
# pans north or south, and a cell's answer can be cached.
LAT_RATIO = 0.7
# From this zoom on (a street or two), listings come one by one whatever their number, up to SINGLES_LIMIT: cells
# would no longer split listings that share a point (a town's centre when no address was placed).
SINGLES_FROM_ZOOM = 16
SINGLES_LIMIT = 2000
MAX_ZOOM = 20

# Whole metropolitan France with Corsica, and the overseas departments, as west, south, east, north.
FRANCE_BOUNDS = (-5.3, 41.3, 9.7, 51.2)
OVERSEAS_BOUNDS = {
    "971": (-61.85, 15.8, -60.95, 16.55),  # Guadeloupe
    "972": (-61.25, 14.38, -60.8, 14.9),  # Martinique
    "973": (-54.65, 2.1, -51.6, 5.8),  # Guyane
    "974": (55.2, -21.4, 55.85, -20.85),  # La Réunion
    "976": (44.98, -13.02, 45.32, -12.62),  # Mayotte
}


class BadViewport(ValueError):
    """The bbox or zoom parameter cannot be read: the endpoint answers 400 with this message."""


@dataclass(frozen=True)
class Viewport:
    zoom: int
    box: tuple | None = None  # west, south, east, north

    @classmethod
    def from_query(cls, params, default_zoom):
        zoom = default_zoom
        raw_zoom = params.get("zoom", "").strip()
        if raw_zoom:
            try:
                zoom = int(raw_zoom)
            except ValueError:
                zoom = -1
            if not 0 <= zoom <= MAX_ZOOM:
                raise BadViewport(gettext("zoom must be a whole number from 0 to %(max)s.") % {"max": MAX_ZOOM})
        raw_box = params.get("bbox", "").strip()
        if not raw_box:
            return cls(zoom)
        message = gettext("bbox must be four numbers: west,south,east,north (degrees), west of east, south of north.")
        try:
            west, south, east, north = (float(part) for part in raw_box.split(","))
        except ValueError:
            raise BadViewport(message) from None
        if not all(map(math.isfinite, (west, south, east, north))):
            raise BadViewport(message)
        # A map zoomed far out shows the world more than once: what lies beyond the real one adds nothing.
        west, east = max(west, -180.0), min(east, 180.0)
        south, north = max(south, -90.0), min(north, 90.0)
        if west > east or south > north:
            raise BadViewport(message)
        return cls(zoom, (west, south, east, north))

    @property
    def cell(self):
        """The grid's cell width in degrees of longitude at this zoom (a tile is 256 px wide and 360 / 2^zoom °)."""
        return 360.0 * CELL_PX / (256 * 2**self.zoom)


LISTING_FIELDS = ("pk", "slug", "name", "latitude", "longitude", "opening_hours")


def collection(listings, viewport):
    """The map's answer for `listings` (a filtered queryset of published listings) seen through `viewport`.

    Queries: the listings (at most CLUSTER_ABOVE + 1 fetched), then when there are more, the grid's cells and the
    listings alone in their cell; then the categories' names and the listings' links to them.
    """
    listings = listings.order_by().filter(latitude__isnull=False, longitude__isnull=False)
    if viewport.box:
        west, south, east, north = viewport.box
        listings = listings.filter(latitude__range=(south, north), longitude__range=(west, east))
    one_by_one = viewport.zoom >= SINGLES_FROM_ZOOM
    rows = list(listings.values_list(*LISTING_FIELDS)[: SINGLES_LIMIT if one_by_one else CLUSTER_ABOVE + 1])
    clusters = []
    if not one_by_one and len(rows) > CLUSTER_ABOVE:
        cells = list(_cells(listings, viewport.cell))
        clusters = [cell for cell in cells if cell["count"] > 1]
        alone = [cell["first"] for cell in cells if cell["count"] == 1]
        rows = list(Listing.objects.filter(pk__in=alone).values_list(*LISTING_FIELDS)) if alone else []
    features, lookups = _listing_features(rows)
    features += [_cluster_feature(cell) for cell in clusters]
    return {
        "type": "FeatureCollection",
        "features": features,
        **lookups,
        "clustered": bool(clusters),
        "total": len(rows) + sum(cell["count"] for cell in clusters),
    }


def _cells(listings, cell):
    """Listings counted per grid cell. Coordinates are shifted to be positive, so that FLOOR and the cell's edges
    agree everywhere; FLOOR of the same float division gives the same cell on both databases."""
    return (
        listings.annotate(
            cell_x=Floor((F("longitude") + 180.0) / cell),
            cell_y=Floor((F("latitude") + 90.0) / (cell * LAT_RATIO)),
        )
        .values("cell_x", "cell_y")
        .annotate(
            count=Count("pk"),
            first=Min("pk"),
            center_lat=Avg("latitude"),
            center_lon=Avg("longitude"),
            south=Min("latitude"),
            north=Max("latitude"),
            west=Min("longitude"),
            east=Max("longitude"),
        )
        .order_by("cell_y", "cell_x")
    )


def _cluster_feature(cell):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(cell["center_lon"], 5), round(cell["center_lat"], 5)]},
        "properties": {
            "count": cell["count"],
            "bounds": [round(cell[key], 5) for key in ("west", "south", "east", "north")],
        },
    }


def _listing_features(rows):
    """Features for listing rows, and the lookups they point into: categories by id, distinct open labels."""
    categories = _categories_by_listing([row[0] for row in rows])
    names = {}
    # The popup says what the card says ("Fermé · ouvre mardi à 9 h"), at one moment for all; many listings share
    # the same hours, which are read once, and the same label, which is sent once.
    moment = timezone.now()
    label_of_hours, labels = {}, {}
    features = []
    for pk, slug, name, lat, lon, opening_hours in rows:
        if opening_hours not in label_of_hours:
            status = hours.status(opening_hours, moment)
            label_of_hours[opening_hours] = labels.setdefault((status.is_open, status.label), len(labels))
        listing_categories = categories.get(pk, ())
        for category in listing_categories:
            names[category.pk] = category.translated_name
        features.append(
            {
                "type": "Feature",
                "id": pk,
                "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                "properties": {
                    "name": name,
                    "slug": slug,
                    "categories": [category.pk for category in listing_categories],
                    "hours": label_of_hours[opening_hours],
                },
            }
        )
    lookups = {
        "categories": {str(pk): name for pk, name in names.items()},
        "hours": [[is_open, label] for is_open, label in labels],
        "listing_url": reverse("producers:listing", kwargs={"slug": "SLUG"}).replace("SLUG", "{slug}"),
    }
    return features, lookups


def _categories_by_listing(pks):
    """{listing id: [categories in taxonomy order]} for these listings: their rows of the link table only, found
    through its listing index (the whole table was scanned before, a third of the map's time)."""
    if not pks:
        return {}
    categories = {category.pk: category for category in Category.objects.all()}
    found = {}
    links = Listing.categories.through.objects.filter(listing_id__in=pks)
    for listing_id, category_id in links.values_list("listing_id", "category_id"):
        found.setdefault(listing_id, []).append(categories[category_id])
    return {pk: sorted(cats, key=lambda c: (c.position, c.name)) for pk, cats in found.items()}
