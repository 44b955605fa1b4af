"""The maps' grid: which cell a point falls in at a zoom, the box a view covers in whole cells, and the listings
counted per cell in SQL (the same arithmetic on PostgreSQL, SQLite and in Python)."""

import math
from dataclasses import dataclass

from django.db.models import Count, F, Max, Min, Sum
from django.db.models.functions import Floor
from django.utils.translation import gettext

# A cluster is about this wide on screen (a 256 px tile holds four by four).
CELL_PX = 64
# Cells are as tall as wide on screen at mid-France (cos 46° ≈ 0.7): a constant, so the grid stays put when the map
# pans north or south, and a cell's answer can be cached.
LAT_RATIO = 0.7
MAX_ZOOM = 20
# The most cells one answer may span (a 4K screen shows about 2,000): a box too large for its zoom is counted at a
# coarser zoom, so that no request, however crafted, fetches more than this many cells or single listings.
MAX_CELLS = 4096


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

    def cell_range(self):
        """((first x, last x), (first y, last y)) of the cells the box touches; None without a box."""
        if not self.box:
            return None
        west, south, east, north = self.box
        (x0, y0), (x1, y1) = cell_index(south, west, self.cell), cell_index(north, east, self.cell)
        return (x0, x1), (y0, y1)

    def coarsened(self):
        """This viewport, or the same box at the highest lower zoom at which it spans at most MAX_CELLS cells."""
        viewport = self
        while viewport.box and viewport.zoom > 0 and viewport.cell_count() > MAX_CELLS:
            viewport = Viewport(viewport.zoom - 1, viewport.box)
        return viewport

    def cell_count(self):
        (x0, x1), (y0, y1) = self.cell_range()
        return (x1 - x0 + 1) * (y1 - y0 + 1)

    def cell_box(self):
        """The box widened to the edges of the cells it touches (west, south, east, north); None without a box."""
        if not self.box:
            return None
        (x0, x1), (y0, y1) = self.cell_range()
        width, height = self.cell, self.cell * LAT_RATIO
        return x0 * width - 180.0, y0 * height - 90.0, (x1 + 1) * width - 180.0, (y1 + 1) * height - 90.0


def cell_index(latitude, longitude, cell):
    """(x, y) of the grid cell holding a point: the very arithmetic of _cells' SQL."""
    return math.floor((longitude + 180.0) / cell), math.floor((latitude + 90.0) / (cell * LAT_RATIO))


def count(listings, cell, by_department=False):
    """Listings counted per grid cell, in SQL. Coordinates are shifted to be positive, so that FLOOR and the cell's
    edges agree everywhere; FLOOR of the same float division gives the same cell on both databases (and in
    cell_index). Sums rather than averages: grid.py adds cells up, and both ways must give the same centroid."""
    return rows(grouped(listings, cell, by_department))


def cell_columns(cell):
    """(x, y) of a listing's cell `cell` degrees wide, in SQL: what count() groups by, and what the maps' ring
    (ring.py) reads its fine cells by, so that both put a listing in the same cell."""
    return Floor((F("longitude") + 180.0) / cell), Floor((F("latitude") + 90.0) / (cell * LAT_RATIO))


def grouped(listings, cell, by_department=False):
    """count()'s query."""
    cell_x, cell_y = cell_columns(cell)
    return (
        listings.annotate(cell_x=cell_x, cell_y=cell_y)
        .values(*(["department_id"] if by_department else []), "cell_x", "cell_y")
        .annotate(
            count=Count("pk"),
            first=Min("pk"),
            sum_lat=Sum("latitude"),
            sum_lon=Sum("longitude"),
            south=Min("latitude"),
            north=Max("latitude"),
            west=Min("longitude"),
            east=Max("longitude"),
        )
        .order_by("cell_y", "cell_x")
    )


def rows(found):
    """count()'s rows, with whole numbers for cells (FLOOR gives floats)."""
    return [{**row, "cell_x": int(row["cell_x"]), "cell_y": int(row["cell_y"])} for row in found]
