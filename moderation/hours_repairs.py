"""The hours of the edits awaiting review, for `manage.py check_opening_hours` (producers.hours_repairs): an edit
sent before the forms refused days split by a space would write them onto its listing when approved."""

from producers import hours_repairs
from producers.models import Listing

from .models import Revision


def pending_revisions(published=False):
    """SplitElsewhere of the pending revisions' hours and their markets' or stands' days, by revision id."""
    revisions = Revision.objects.filter(status=Revision.Status.PENDING).select_related("listing")
    if published:
        revisions = revisions.filter(listing__status=Listing.Status.PUBLISHED)
    found = []
    for revision in revisions.only("data", "listing__name").order_by("pk").iterator(chunk_size=500):
        where = f"revision {revision.pk}\tof {revision.listing.name}"
        data = revision.data
        found.append(hours_repairs.split_elsewhere(data.get("opening_hours") or "", where))
        # A producer's edit lists its markets, a market's its stands: [[other listing id, days], …].
        for key in ("markets", "stands"):
            for other, schedule in data.get(key) or []:
                found.append(hours_repairs.split_elsewhere(schedule or "", f"{where}, {key} of listing {other}"))
    return [item for item in found if item]
