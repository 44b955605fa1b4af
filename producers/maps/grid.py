"""Every published listing counted once per cell of the maps' grid at GRID_ZOOM, kept in the cache.

An unfiltered map (all of France, a department) at GRID_ZOOM or wider has its clusters merged from these cells
instead of counted again: a cell of zoom z is exactly 2^(GRID_ZOOM - z) × 2^(GRID_ZOOM - z) cells of GRID_ZOOM (the
cell width halves at each zoom, and FLOOR of a division by a power of two agrees with the finer FLOOR), so the
answer is the same as cells.count's SQL would give, for a few milliseconds instead of a GROUP BY over every listing in
the box (all of France: 0.15 s at 100,000 listings, over a second at 1,000,000).

The cells are computed by one query (0.4 to 0.6 s at 100,000 listings), by one request at a time, shared by the
workers through Django's cache (Redis in production) for MAP_GRID_SECONDS, and counted again when a listing is
published or withdrawn (localdir.cache's generation moves on). Each process keeps the cells it read, merged per zoom,
until then. Listings alone in their cell are read from the database through the page's query, so a listing withdrawn
while its old count is still read never shows.
Filtered maps (a category, open now…) are counted in SQL: their combinations are endless. A town and a distance
alone take the grid's cells wholly inside the circle and count only the others in SQL (ring.py).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import router

from localdir.cache import generation
from producers.models import Listing

from . import cells as grid_cells

GRID_ZOOM = 10
FRANCE = "france"
KEY = "map-grid"

# This process's copy, shared by its threads: {"generation", "expires", "merged"}, replaced whole when stale (two
# threads may then both build it: the same result).
_memo = {}


def cells(scope, viewport):
    """The cells `viewport` shows of `scope` (FRANCE or a department's pk), as cells.count gives them, from the grid;
    None when the grid is off (MAP_GRID_SECONDS = 0) or the zoom is closer than GRID_ZOOM."""
    seconds = settings.MAP_GRID_SECONDS
    if not seconds or viewport.zoom > GRID_ZOOM:
        return None
    memo = _levels(seconds)
    if memo is None:
        return None
    merged = memo["merged"]
    level = merged.get((scope, viewport.zoom))
    if level is None:
        level = merged[(scope, viewport.zoom)] = merge(_fine(merged, scope), GRID_ZOOM - viewport.zoom)
    found = level.values()
    if viewport.box:
        (x0, x1), (y0, y1) = viewport.cell_range()
        found = [cell for cell in found if x0 <= cell["cell_x"] <= x1 and y0 <= cell["cell_y"] <= y1]
    return sorted(found, key=lambda cell: (cell["cell_y"], cell["cell_x"]))


def _levels(seconds, count=True):
    """This process's grid: {"generation": the one it was counted for, "merged": {(scope, zoom): {(x, y): cell}}, with
    the fine cells per department under ("fine", None)}; None when there is no grid to read while another request
    counts it. The generation read is this grid's: another thread may store a newer one in `_memo` meanwhile. Without
    `count`, a stale grid is returned as it is rather than counted again here."""
    current = generation()
    memo = _memo.get("levels")
    if memo is not None and memo["generation"] == current and memo["expires"] >= time.monotonic():
        return memo
    stored = cache.get(KEY)  # (generation, fine cells)
    if stored is None or stored[0] != current:
        # One request counts; meanwhile the others read the previous count (a listing published a moment ago joins
        # its cluster when the count is done: at 1,000,000 listings, seconds), or count their own box in SQL.
        if count and cache.add(f"{KEY}.counting", True, 60):
            try:
                stored = (current, _count())
                cache.set(KEY, stored, seconds)
            finally:
                cache.delete(f"{KEY}.counting")
        elif stored is None:
            return None
    if memo is None or memo["generation"] != stored[0] or memo["expires"] < time.monotonic():
        merged = {("fine", None): stored[1]}
        memo = {"generation": stored[0], "expires": time.monotonic() + seconds, "merged": merged}
        _memo["levels"] = memo
    return memo


def _count():
    """[(department id, cell row), …] of every published listing at GRID_ZOOM."""
    # On the primary, even within a public page that reads from a replica (localdir.db_router): the count is kept
    # under the current generation for MAP_GRID_SECONDS, and a replica behind a publication would keep it without
    # the new listing that long.
    listings = (
        Listing.objects.using(router.db_for_write(Listing))
        .published()
        .filter(latitude__isnull=False, longitude__isnull=False)
    )
    rows = grid_cells.count(listings, grid_cells.Viewport(GRID_ZOOM).cell, by_department=True)
    return [(row.pop("department_id"), row) for row in rows]


def _fine(merged, scope):
    if (scope, "fine") not in merged:
        merged[(scope, "fine")] = [cell for department, cell in merged[("fine", None)] if scope in (FRANCE, department)]
    return merged[(scope, "fine")]


def fine_cells(scope, count=True):
    """{(x, y): cell} of `scope` (FRANCE or a department's pk) at GRID_ZOOM, as cells.count gives them; None when
    the grid is off or not counted for the current generation yet. Read, never changed.

    Unlike `cells`, never the previous count while another request counts the grid again: a circle's answer mixes
    these cells with others counted in SQL at once, and must stay as exact as SQL's alone (a listing published a
    moment ago inside the circle counts). Without `count`, None rather than counting a stale grid in this request.
    """
    seconds = settings.MAP_GRID_SECONDS
    memo = _levels(seconds, count) if seconds else None
    if memo is None or memo["generation"] != generation():
        return None
    merged = memo["merged"]
    if (scope, "by cell") not in merged:
        # Added up: the grid has a cell per department it holds listings of.
        merged[(scope, "by cell")] = merge(_fine(merged, scope), 0)
    return merged[(scope, "by cell")]


def merge(fine, shift):
    """Cells of a zoom `shift` levels wider: the fine cells added up by (x >> shift, y >> shift)."""
    merged = {}
    for cell in fine:
        add(merged, (cell["cell_x"] >> shift, cell["cell_y"] >> shift), cell)
    return merged


def add(merged, key, cell):
    """Adds `cell`'s listings to the cell `key` of `merged` ({(x, y): cell}), a new cell if there is none."""
    into = merged.get(key)
    if into is None:
        merged[key] = {**cell, "cell_x": key[0], "cell_y": key[1]}
    else:
        into["count"] += cell["count"]
        into["first"] = min(into["first"], cell["first"])
        into["sum_lat"] += cell["sum_lat"]
        into["sum_lon"] += cell["sum_lon"]
        into["south"] = min(into["south"], cell["south"])
        into["north"] = max(into["north"], cell["north"])
        into["west"] = min(into["west"], cell["west"])
        into["east"] = max(into["east"], cell["east"])
