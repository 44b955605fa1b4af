"""Published listings get the date someone last said they are right: the latest approval (of the listing or of one of
its edits) or re-publication in the decisions log; failing that, their publication or last update. The yearly
confirmation (moderation.freshness) counts from it, so old listings are asked first."""

from django.db import migrations
from django.db.models import Max

BATCH = 1000


def set_confirmed_at(apps, schema_editor):
    Listing = apps.get_model("producers", "Listing")
    Revision = apps.get_model("moderation", "Revision")
    Decision = apps.get_model("moderation", "Decision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    listing_type = ContentType.objects.filter(app_label="producers", model="listing").first()
    revision_type = ContentType.objects.filter(app_label="moderation", model="revision").first()
    latest = {}

    def keep(listing_id, moment):
        if moment and (listing_id not in latest or moment > latest[listing_id]):
            latest[listing_id] = moment

    if listing_type:
        decided = Decision.objects.filter(content_type=listing_type, action__in=["approve", "republish"])
        for object_id, moment in decided.values("object_id").annotate(last=Max("created_at")).values_list(
            "object_id", "last"
        ):
            keep(object_id, moment)
    if revision_type:
        approved = Decision.objects.filter(content_type=revision_type, action="approve")
        revision_listing = dict(Revision.objects.values_list("pk", "listing_id"))
        for object_id, moment in approved.values("object_id").annotate(last=Max("created_at")).values_list(
            "object_id", "last"
        ):
            if object_id in revision_listing:
                keep(revision_listing[object_id], moment)
    listings = list(
        Listing.objects.filter(status="published", confirmed_at__isnull=True).only("pk", "published_at", "updated_at")
    )
    for listing in listings:
        listing.confirmed_at = latest.get(listing.pk) or listing.published_at or listing.updated_at
    Listing.objects.bulk_update(listings, ["confirmed_at"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("producers", "0013_listing_confirmed_at"),
        ("moderation", "0012_confirmation_steps"),
    ]

    operations = [migrations.RunPython(set_confirmed_at, migrations.RunPython.noop)]
