"""On PostgreSQL, the published listings' coordinates in an index led by their row of the maps' grid: a circle's
edge is counted from the listings of its own cells.

The maps (producers/maps/ring.py) and the lists with a town and a distance (producers.paging) take a circle's cells
lying wholly inside it from the grid, and count only the ring of cells its edge crosses in SQL, one index range scan
per row of cells. On (latitude, longitude) each range read every listing of France in its row's band of latitude, the
longitude bounds only filtering them (Paris + 50 km: 30 ranges, 356 buffers at 100,000 listings, as many as the whole
circle's count), a cost growing with the size of France. Led by the row (an equality) then the longitude (a range),
a range reads its own cells' listings (98 buffers; 10.7 → 0.36 ms). The key carries the latitude and the id too, for
index-only scans (the circle's condition, the maps' sums and first ids).

The expression is the ring's `fine_y` (producers.maps.cells.cell_columns() at the grid's zoom, 10: cells
360 × 64 / (256 × 2¹⁰) = 0.087890625° wide, 0.7 times as tall), written as Django writes it, float for float: the
planner uses an expression index only for the same expression. tests/producers/test_paging.py checks the plan. Not on
SQLite, whose FLOOR is a function Django registers per connection; its ring is one query (ring._one_query).
"""

from django.db import migrations

FORWARD = """
CREATE INDEX listing_published_grid_row ON producers_listing
    ((FLOOR(("latitude" + 90.0) / 0.06152343749999999)), longitude, latitude, id) WHERE status = 'published';
"""

BACKWARD = "DROP INDEX listing_published_grid_row;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("producers", "0020_listing_category_ids"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
