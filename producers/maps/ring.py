"""A map filtered by a town and a distance only, counted from the grid inside the circle and in SQL on its edge.

Counting such a map in SQL reads every listing of the circle and groups them all (Paris + 50 km at 1,000,000
listings: 167,913 entries of the index, sorted by cell, on every request). But a cell of the grid (grid.py, zoom
GRID_ZOOM) lying wholly inside the circle holds the same listings with the filter as without: its count, centroid
and bounds are the grid's. Only the ring of cells the circle's edge crosses is counted in SQL, read per row of cells
as ranges of an index led by the grid's row (migration 0021); each listing is counted by one side, chosen by the
very FLOOR expressions the grid groups by. The two are added up per cell of the zoom asked (a cell of zoom z is
whole cells of GRID_ZOOM), which gives the answer SQL gives (tests/producers/test_maps.py compares them). A list's
count with a town and a distance is the same sum, over the whole circle (count(), producers.paging).

Used only where the grid is exactly right: a town and a distance and no other filter (a category, a delivery mode,
open now, a search change what a cell holds), over a scope the grid keeps (France or a department), at GRID_ZOOM or
wider.
"""

import math

from django.db import connections
from django.db.models import FloatField, Q
from django.db.models.expressions import RawSQL

from producers.models.distance import KM_PER_DEGREE, circle

from . import cells as grid_cells
from . import grid

FINE = grid_cells.Viewport(grid.GRID_ZOOM)
# A cell counts as inside when its corners are this much within the circle's bounds: far above the rounding of the
# coordinates' arithmetic (~1e-14 °), far below any listing's distance from another.
MARGIN_DEGREES = 1e-7
MARGIN_KM2 = 1e-6
# split()'s box for a whole circle.
WHOLE = ((-(2**40), 2**40), (-(2**40), 2**40))


def cells(scope, viewport, centre, listings):
    """The cells `viewport` shows of `listings` (the scope's published listings within `centre` = (latitude,
    longitude, km), with the viewport's box applied), as cells.count gives them; None when the grid cannot tell."""
    if viewport.zoom > grid.GRID_ZOOM:
        return None
    fine = grid.fine_cells(scope)
    if fine is None:
        return None
    shift = grid.GRID_ZOOM - viewport.zoom
    if viewport.box:
        (x0, x1), (y0, y1) = viewport.cell_range()
        # The viewport's cells as fine ones: the grid's cells there and the ring counted in SQL cover its listings.
        box = (x0 << shift, ((x1 + 1) << shift) - 1), (y0 << shift, ((y1 + 1) << shift) - 1)
    else:  # the whole circle
        box = WHOLE
    inside, ranges = split(centre, box)
    inner = [fine[(x, y)] for y, (first, last) in inside.items() for x in range(first, last + 1) if (x, y) in fine]
    merged = grid.merge(inner, shift)
    for row in _count_ring(listings, ranges, viewport.cell):
        key = (row["cell_x"], row["cell_y"])
        grid.add(merged, key, row)
    return sorted(merged.values(), key=lambda cell: (cell["cell_y"], cell["cell_x"]))


def split(centre, box):
    """({row y: (first x, last x) of the fine cells wholly inside the circle and the box}, [(y, first x, last x) of
    the rest of the circle's cells, row by row]): the ranges cover every fine cell a listing of the circle and the
    box may fall in (a row or column more on each side, in case the box's edge rounds the other way)."""
    latitude, longitude, km = centre
    (south, north), (west, east), limit = circle(latitude, longitude, km)
    inner_limit = limit - MARGIN_KM2
    cos_lat = math.cos(math.radians(latitude))
    width, height = FINE.cell, FINE.cell * grid_cells.LAT_RATIO
    (bx0, bx1), (by0, by1) = box

    def inside_circle(lat, lon):
        dy = (lat - latitude) * KM_PER_DEGREE
        dx = (lon - longitude) * (KM_PER_DEGREE * cos_lat)
        return dx * dx + dy * dy <= inner_limit

    cx0, cy0 = grid_cells.cell_index(south, west, width)
    cx1, cy1 = grid_cells.cell_index(north, east, width)
    first_x, last_x = max(cx0, bx0 - 1), min(cx1, bx1 + 1)
    inside, ranges = {}, []
    for y in range(max(cy0, by0 - 1), min(cy1, by1 + 1) + 1):
        cell_south, cell_north = y * height - 90.0, (y + 1) * height - 90.0
        whole = []
        if by0 <= y <= by1 and south + MARGIN_DEGREES < cell_south and cell_north < north - MARGIN_DEGREES:
            for x in range(max(first_x, bx0), min(last_x, bx1) + 1):
                cell_west, cell_east = x * width - 180.0, (x + 1) * width - 180.0
                if (
                    west + MARGIN_DEGREES < cell_west
                    and cell_east < east - MARGIN_DEGREES
                    and all(
                        inside_circle(lat, lon) for lat in (cell_south, cell_north) for lon in (cell_west, cell_east)
                    )
                ):
                    whole.append(x)
        if whole:
            # A circle is convex: the cells wholly inside it on a row are one run.
            inside[y] = (whole[0], whole[-1])
            ranges += [(y, first_x, whole[0] - 1), (y, whole[-1] + 1, last_x)]
        else:
            ranges.append((y, first_x, last_x))
    return inside, [(y, a, b) for y, a, b in ranges if a <= b]


def count(scope, centre, listings):
    """How many `listings` there are (the scope's published listings within `centre` = (latitude, longitude, km),
    nothing else filtering them): the grid's cells wholly inside the circle added up, the others counted in SQL;
    None when the grid cannot tell. A list's count the Paginator checks against its rows (producers.paging): the
    grid is kept for MAP_GRID_SECONDS, and a change made behind the models' back shows in it that much later. A
    page never counts the grid itself (0.5 s at 100,000 listings, seconds at 1,000,000, after each publication): the
    maps do, and until then the circle is counted in SQL."""
    fine = grid.fine_cells(scope, count=False)
    if fine is None:
        return None
    inside, ranges = split(centre, WHOLE)
    inner = sum(
        fine[(x, y)]["count"] for y, (first, last) in inside.items() for x in range(first, last + 1) if (x, y) in fine
    )
    if not ranges:
        return inner
    listings = listings.order_by()
    if connections[listings.db].vendor != "postgresql":
        return inner + _one_query(listings, ranges).count()
    sql, params = _ring_sql(listings, ranges, ("pk",))
    with connections[listings.db].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {sql}", params)
        return inner + cursor.fetchone()[0]


def _count_ring(listings, ranges, cell):
    if not ranges:
        return []
    if connections[listings.db].vendor != "postgresql":
        return grid_cells.count(_one_query(listings, ranges), cell)
    sql, params = _ring_sql(listings, ranges, ("pk", "latitude", "longitude"))
    sql = (
        'SELECT FLOOR(("l"."longitude" + %s) / %s) AS "cell_x", FLOOR(("l"."latitude" + %s) / %s) AS "cell_y", '
        'COUNT(*) AS "count", MIN("l"."id") AS "first", SUM("l"."latitude") AS "sum_lat", '
        'SUM("l"."longitude") AS "sum_lon", MIN("l"."latitude") AS "south", MAX("l"."latitude") AS "north", '
        'MIN("l"."longitude") AS "west", MAX("l"."longitude") AS "east" '
        f"FROM {sql} GROUP BY 1, 2"
    )
    params = (180.0, cell, 90.0, cell * grid_cells.LAT_RATIO, *params)
    with connections[listings.db].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    return grid_cells.rows(rows)


def _ring_sql(listings, ranges, fields):
    """(FROM clause, params) of the ring's listings on PostgreSQL, as "l" with `fields` (their columns' names):
    one statement whatever the number of ranges, joining the listings on the ranges' bounds (unnest() of arrays
    passed as parameters), an index-only scan of listing_published_grid_row per range (the ranges' fine row, then
    their longitudes: the listings of the range's cells alone; (latitude, longitude) read every listing of France in
    the row's band of latitude), then the exact cell by FLOOR, as the grid counts it."""
    width = FINE.cell
    fine_x, fine_y = grid_cells.cell_columns(FINE.cell)
    bounds = {"west": [], "east": [], "y": [], "first": [], "last": []}
    for y, first, last in ranges:
        bounds["west"].append(first * width - 180.0 - MARGIN_DEGREES)
        bounds["east"].append((last + 1) * width - 180.0 + MARGIN_DEGREES)
        bounds["y"].append(y)
        bounds["first"].append(first)
        bounds["last"].append(last)

    def ring(name):
        return RawSQL(f'"ring"."{name}"', (), output_field=FloatField())

    # The row's own condition bounds the latitude: bounds of latitude besides made (latitude, longitude) look as
    # cheap to the planner, which chose it on a small table, and would read a band of France per range.
    listings = listings.annotate(fine_x=fine_x, fine_y=fine_y).filter(
        longitude__gte=ring("west"),
        longitude__lte=ring("east"),
        fine_y=ring("y"),
        fine_x__gte=ring("first"),
        fine_x__lte=ring("last"),
    )
    inner, params = listings.values_list(*fields).query.sql_with_params()
    columns = ", ".join(f'"{name}"' for name in bounds)
    arrays = ", ".join("%s::double precision[]" if name in ("west", "east") else "%s::integer[]" for name in bounds)
    names = ", ".join(f'"{"id" if name == "pk" else name}"' for name in fields)
    # LATERAL with OFFSET 0, which PostgreSQL never flattens: each range is its own index scan (flattened, the
    # planner hashed the circle's listings on their row, every entry of the circle read).
    sql = f'unnest({arrays}) AS "ring"({columns}) CROSS JOIN LATERAL ({inner} OFFSET 0) AS "l"({names})'
    return sql, (*bounds.values(), *params)


def _one_query(listings, ranges):
    """The ring's listings as one query of the ranges' conditions: SQLite's way (it has no unnest())."""
    fine_x, fine_y = grid_cells.cell_columns(FINE.cell)
    ring = Q()
    for y, first, last in ranges:
        ring |= Q(fine_y=y, fine_x__gte=first, fine_x__lte=last)
    return listings.annotate(fine_x=fine_x, fine_y=fine_y).filter(ring)
