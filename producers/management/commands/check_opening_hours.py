"""List the stored hours that split days by a space: `manage.py check_opening_hours`.

"Mo, We 10:00-12:00" reads as Monday open all day; the forms refuse it now, but listings saved before keep it.
Each line gives the listing, its hours and the hours with the days joined (what the producer most likely meant),
or says that a person must give the hours. Nothing is written: a volunteer decides the repair in the listing
admin (filter "Days split by a space", action "Join the days split by a space"). Exits with 1 when it found any,
for a check after an upgrade.

Then the same for the hours kept elsewhere (producers.hours_repairs.find_elsewhere): the stands' own days at a
market, and the edits awaiting review (moderation adds them), each line saying where: a volunteer corrects the stand
in its admin, or asks for changes on the edit.
"""

from django.core.management.base import BaseCommand

from producers import hours_repairs
from producers.models import Listing


class Command(BaseCommand):
    help = (
        "List the listings, stands and pending edits whose hours split days by a space, with the hours they most "
        "likely meant."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--published", action="store_true", help="Only the published listings (and their stands and edits)."
        )

    def handle(self, *args, published=False, **options):
        queryset = Listing.objects.published() if published else Listing.objects.all()
        found = hours_repairs.find(queryset.order_by("pk"))
        for item in found:
            listing = item.listing
            proposal = f"→ {item.suggestion}" if item.suggestion else f"→ no suggestion: give the hours of {item.first}"
            self.stdout.write(f"{listing.pk}\t{listing.status}\t{listing.name}\t{listing.opening_hours}\t{proposal}")
        elsewhere = hours_repairs.find_elsewhere(published)
        for item in elsewhere:
            proposal = f"→ {item.suggestion}" if item.suggestion else f"→ no suggestion: give the hours of {item.first}"
            self.stdout.write(f"{item.where}\t{item.written}\t{proposal}")
        if (found or elsewhere) and options["verbosity"]:
            # Nothing on stderr when all is well: cron mails whatever a command writes there.
            self.stderr.write(f"{len(found)} listings, {len(elsewhere)} other hours with days split by a space.")
        if found or elsewhere:
            raise SystemExit(1)
