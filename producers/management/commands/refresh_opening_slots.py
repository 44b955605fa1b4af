"""Move the "open now" window on: `manage.py refresh_opening_slots`, daily from cron (docs/deployment.md).

Each listing's opening slots cover OPENING_SLOT_WEEKS weeks from the day they were written (at each save). Run
daily, this rewrites them all from today, so the filter never runs out of weeks and a season, a public holiday or
a "first Saturday of the month" that enters the window is there. Running it twice gives the same rows.
"""

from localdir.daily import DailyCommand
from producers.models import Listing, OpeningSlot
from producers.models.listing import slot_window

BATCH_SIZE = 1000


class Command(DailyCommand):
    help = "Rewrite every listing's opening slots (the 'open now' filter) for the weeks to come from today."

    def handle(self, *args, **options):
        first_day, days = slot_window()
        listings = rows = 0
        last_pk = 0
        while True:
            # Batches by primary key: each one is a short transaction, and the site keeps answering meanwhile.
            batch = list(Listing.objects.filter(pk__gt=last_pk).order_by("pk").only("pk", "opening_hours")[:BATCH_SIZE])
            if not batch:
                break
            rows += OpeningSlot.objects.refresh(batch, first_day)
            listings += len(batch)
            last_pk = batch[-1].pk
        if options["verbosity"]:
            self.stdout.write(
                f"{rows} opening slots written for {listings} listings, from {first_day:%Y-%m-%d} for {days} days."
            )
