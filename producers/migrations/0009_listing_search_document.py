"""Search stems instead of the folded text (see producers/search/): fill them, and index them on PostgreSQL."""

from django.db import migrations, models

# The same expression as producers.search.query.StemsMatch over both columns, so the planner can use the index.
INDEX_SQL = (
    "CREATE INDEX producers_listing_search_gin ON producers_listing "
    "USING gin (to_tsvector('simple'::regconfig, search_title || ' ' || search_body))"
)
BATCH_SIZE = 1000


def fill(apps, schema_editor):
    from producers.search import document

    Listing = apps.get_model("producers", "Listing")
    ids = list(Listing.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH_SIZE):
        batch = list(Listing.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).prefetch_related("categories"))
        for listing in batch:
            listing.search_title, listing.search_body = document(
                listing.name,
                listing.short_description,
                listing.description,
                [category.name for category in listing.categories.all()],
            )
        Listing.objects.bulk_update(batch, ["search_title", "search_body"])


def create_index(apps, schema_editor):
    # SQLite matches the stems without an index (producers/search/query.py says why).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX_SQL)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS producers_listing_search_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("producers", "0008_locality"),
    ]

    operations = [
        migrations.AddField(
            model_name="listing",
            name="search_title",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="listing",
            name="search_body",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(
            model_name="listing",
            name="search_text",
        ),
        migrations.RunPython(create_index, drop_index),
    ]
