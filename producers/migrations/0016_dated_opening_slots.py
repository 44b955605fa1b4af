import datetime

from django.db import migrations, models


def forget_weekly_slots(apps, schema_editor):
    # Rows of the January reference week have no dates: they are written again below from each listing's hours.
    apps.get_model("producers", "OpeningSlot").objects.all().delete()


def write_dated_slots(apps, schema_editor):
    from django.conf import settings
    from django.utils import timezone

    from producers import hours

    Listing = apps.get_model("producers", "Listing")
    OpeningSlot = apps.get_model("producers", "OpeningSlot")
    first_day = timezone.localtime(timezone.now(), hours.PARIS).date()
    days = 7 * settings.OPENING_SLOT_WEEKS
    rows = []
    for pk, expression in Listing.objects.exclude(opening_hours="").values_list("pk", "opening_hours").iterator():
        rows += [OpeningSlot(listing_id=pk, **slot._asdict()) for slot in hours.dated_slots(expression, first_day, days)]
        if len(rows) >= 10_000:
            OpeningSlot.objects.bulk_create(rows)
            rows = []
    OpeningSlot.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("producers", "0015_closures"),
    ]

    operations = [
        migrations.RunPython(forget_weekly_slots, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="openingslot", name="producers_o_weekday_47dbc8_idx"),
        migrations.RemoveField(model_name="openingslot", name="public_holiday"),
        migrations.AddField(
            model_name="openingslot",
            name="first_day",
            field=models.DateField(default=datetime.date(2026, 1, 1)),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="openingslot",
            name="last_day",
            field=models.DateField(default=datetime.date(2026, 1, 1)),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="openingslot",
            index=models.Index(
                fields=["weekday", "opens", "closes", "first_day", "last_day", "listing"], name="slot_open_at"
            ),
        ),
        migrations.RunPython(write_dated_slots, migrations.RunPython.noop),
    ]
