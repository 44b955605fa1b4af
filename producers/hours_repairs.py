"""Listings stored with hours the forms now refuse: days split by a space ("Mo, We 10:00-12:00", which
opening-hours-py reads as Monday open all day), saved before the forms said so.

Volunteers find them (the listing admin's filter and warning, `manage.py check_opening_hours`) and decide the
repair (the admin's action): the suggested hours do not mean what is stored, so nothing rewrites them on its own.

Hours are also kept outside a listing's own: a producer's days at a market (a stand's schedule), and apps that keep
hours of their own (moderation: the edits awaiting review) add them through add_source(), producers importing none
of them.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from . import hours
from .models import Attendance, Listing

# Every split has a space before or after a comma: the database narrows the listings to read before Python checks.
_MAYBE_SPLIT = r"\s,|,\s"


@dataclass(frozen=True)
class SplitDays:
    listing: Listing
    written: str  # the rule as stored
    first: str  # the days read as open all day
    suggestion: str | None  # the whole expression with the days joined; None when a person must give hours


def split_days(listing):
    """The SplitDays of one listing's hours, or None when none of its rules splits days by a space."""
    found = hours.days_split_by_a_space(listing.opening_hours)
    if found is None:
        return None
    written, first, _joined = found
    return SplitDays(listing, written, first, hours.join_split_days(listing.opening_hours))


def find(queryset=None):
    """The SplitDays of the listings of `queryset` (all listings by default), in its order."""
    queryset = Listing.objects.all() if queryset is None else queryset
    candidates = queryset.select_related(None).filter(opening_hours__regex=_MAYBE_SPLIT)
    candidates = candidates.only("pk", "name", "status", "opening_hours")
    return [found for found in map(split_days, candidates.iterator(chunk_size=2000)) if found]


@dataclass(frozen=True)
class SplitElsewhere:
    """Days split by a space in hours kept outside a listing's own; `where` names them for a person, tab-separated."""

    where: str
    written: str  # the whole expression as stored
    first: str
    suggestion: str | None


def split_elsewhere(expression, where):
    """The SplitElsewhere of `expression`, or None when none of its rules splits days by a space."""
    found = hours.days_split_by_a_space(expression)
    if found is None:
        return None
    return SplitElsewhere(where, expression, found[1], hours.join_split_days(expression))


def stands(published=False):
    """Stands at a market whose own days (Attendance.schedule) split days by a space, by id."""
    candidates = Attendance.objects.filter(schedule__regex=_MAYBE_SPLIT).select_related("producer", "market")
    if published:
        candidates = candidates.filter(
            producer__status=Listing.Status.PUBLISHED, market__status=Listing.Status.PUBLISHED
        )
    candidates = candidates.only("schedule", "producer__name", "market__name").order_by("pk")
    found = (
        split_elsewhere(stand.schedule, f"stand {stand.pk}\t{stand.producer.name} at {stand.market.name}")
        for stand in candidates.iterator(chunk_size=2000)
    )
    return [item for item in found if item]


# Callables (published: bool) -> [SplitElsewhere], added by the apps that keep hours (their AppConfig.ready()).
_sources = {}


def add_source(name, source):
    _sources[name] = source


def find_elsewhere(published=False):
    """The SplitElsewhere of the stands, then of each added source in the order they were added."""
    found = stands(published)
    for source in _sources.values():
        found.extend(source(published))
    return found


def ids(queryset=None):
    return [found.listing.pk for found in find(queryset)]


def repair(listing):
    """Write the suggested hours (a volunteer decided it): (the hours stored before, the hours written), or None
    when there is no suggestion."""
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing.pk)
        found = split_days(listing)
        if found is None or found.suggestion is None:
            return None
        before, listing.opening_hours = listing.opening_hours, found.suggestion
        if listing.status == Listing.Status.PUBLISHED:
            listing.changed_at = timezone.now()  # the public hours changed: the feeds and alerts say so
        listing.save()
    return before, found.suggestion
