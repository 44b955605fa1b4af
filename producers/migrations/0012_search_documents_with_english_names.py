"""Search documents rebuilt once the taxonomy has English names (0011): 0011 filled them with update(), which sends
no signal, so existing listings could not be found by their categories' English names until saved again."""

from django.db import migrations

BATCH_SIZE = 1000


def refill(apps, schema_editor):
    from producers.search import listing_document

    Listing = apps.get_model("producers", "Listing")
    ids = list(Listing.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH_SIZE):
        batch = list(Listing.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).prefetch_related("categories"))
        for listing in batch:
            listing.search_title, listing.search_body = listing_document(listing, list(listing.categories.all()))
        Listing.objects.bulk_update(batch, ["search_title", "search_body"])


class Migration(migrations.Migration):
    dependencies = [
        ("producers", "0011_taxonomy_name_en"),
    ]

    operations = [
        migrations.RunPython(refill, migrations.RunPython.noop, elidable=True),
    ]
