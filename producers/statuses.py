"""What a list's cards say about opening: each listing's temporary closures not over, and its opening status at one
moment (hours.status()), for a page of listings.

The closures were prefetched for every page (Listing.objects.with_current_closures()), though few listings ever
have one: building and compiling that second query cost a department page about a fifth of its CPU on a cache
miss (docs/performance.md). The listings that have a closure not over are kept with the cached data, each with the
last day of its closures: a page reads closures only for those of its listings, and none at all, no query, when
none has one. A closure saved or deleted on a published listing, and a listing published, withdrawn or edited,
drop the cached data (producers.signals), so a new closure shows on the next page. A closure ending on a day is
over the next, whenever the cached value was read: each listing's last day is compared with the page's own day.
A closure starting later is not over: its listing is kept and its closures read, so that the card says when the
shop opens again, and that it is closed once the day comes.
"""

import datetime
from array import array
from bisect import bisect_left

from django.db.models import Max, Prefetch, prefetch_related_objects
from django.utils import timezone

from localdir.cache import cached_data

from . import hours
from .models import Closure
from .models.closures import paris_today


class LastDays:
    """{listing id: the last day of its closures not over}, as two arrays ordered by id (looked up by bisection).

    Kept with the cached data, this is unpickled from the cache by each process every LOCAL_SECONDS
    (localdir.cache), and on a national directory in summer tens of thousands of listings may have a closure: a dict
    of 30,000 dates took 9.6 ms to unpickle (one object per id and per date), these two arrays 0.03 ms (two blocks of
    bytes). What a page asks of it (up to 20 ids) costs nothing either way."""

    __slots__ = ("days", "ids")

    def __init__(self, pairs):
        """`pairs`: (listing id, last day) ordered by id."""
        self.ids, self.days = array("q"), array("l")
        for pk, day in pairs:
            self.ids.append(pk)
            self.days.append(day.toordinal())

    def get(self, pk):
        """The last day of the listing's closures not over (a date), None when it has none."""
        i = bisect_left(self.ids, pk)
        if i < len(self.ids) and self.ids[i] == pk:
            return datetime.date.fromordinal(self.days[i])
        return None

    def __len__(self):
        return len(self.ids)


def _last_closure_days():
    def compute():
        rows = Closure.objects.not_over().values("listing_id").annotate(last=Max("ends_on")).order_by("listing_id")
        return LastDays((row["listing_id"], row["last"]) for row in rows)

    return cached_data("closures.last-days", compute)


def closed_ids(pks, today):
    """Those of `pks` (listing ids) with a temporary closure not over on `today` (in Paris): the only listings whose
    closures are worth a query."""
    last_days = _last_closure_days()
    return [pk for pk in pks if (last := last_days.get(pk)) is not None and last >= today]


def closures_by_listing(pks, today=None):
    """{listing id: [its closures not over on `today`, in order]} for those of `pks` that have one: one query for
    them, none when none has (the maps' listings)."""
    today = today or paris_today()
    found = {}
    closed = closed_ids(pks, today)
    if closed:
        for closure in Closure.objects.not_over(today).filter(listing_id__in=closed):
            found.setdefault(closure.listing_id, []).append(closure)
    return found


def attach_closures(listings, today=None):
    """Set `current_closures` on each listing, as Listing.objects.with_current_closures() would: the closures not
    over on `today` (in Paris); read in one query for the listings that have one, none when no listing has."""
    today = today or paris_today()
    with_closures = set(closed_ids([listing.pk for listing in listings], today))
    closed = []
    for listing in listings:
        if listing.pk in with_closures:
            closed.append(listing)
        else:
            listing.current_closures = []
    if closed:
        closures = Closure.objects.not_over(today)
        prefetch_related_objects(closed, Prefetch("closures", queryset=closures, to_attr="current_closures"))
    return listings


def attach(listings, moment=None):
    """Set `current_closures` and `hours_status` (what the cards show) on each listing, all at `moment` (now by
    default); returns them."""
    moment = moment or timezone.now()
    return hours.attach_statuses(attach_closures(listings, paris_today(moment)), moment)
