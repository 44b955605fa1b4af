"""The dated openings of an expression, optionally within a second one: a market's next dates, and the next time a
producer is at that market ("Sa[1,3]", "Apr-Oct", or every market day) read within the market's own hours."""

import datetime

from django.utils import timezone

from .status import _later, _runs
from .syntax import OPEN, PARIS, kind, parse


def openings(expression, start=None, days=366, within=""):
    """(opens_at, closes_at) of the open ranges of `expression` from `start` (aware, default now) for `days` days,
    lazily, in Europe/Paris. With `within` (another expression, blank = no restriction), only the parts of those
    ranges where `within` is open too: "Sa[1,3]" within "Sa 08:00-13:00" gives the 1st and 3rd Saturday mornings.
    A range running at `start` starts at `start`. Nothing for a blank or invalid `expression`; an invalid `within`
    restricts to nothing."""
    oh = parse(expression)
    if oh is None:
        return
    start = timezone.localtime(start or timezone.now(), PARIS)
    inner = None
    if (within or "").strip():
        inner = parse(within)
        if inner is None:
            return
    for opens_at, closes_at, run_kind, _comment in _runs(oh, start, days):
        if run_kind != OPEN:
            continue
        if closes_at >= _later(start, days):
            closes_at = _later(start, days)
        if inner is None:
            yield opens_at, closes_at
            continue
        for part_opens, part_closes, state, comment in inner.intervals(opens_at, closes_at):
            if kind(state, comment) == OPEN and part_opens < part_closes:
                yield max(part_opens, opens_at), min(part_closes, closes_at)


def next_openings(expression, start=None, count=1, within="", days=366):
    """The first `count` openings() as a list (possibly shorter, or empty)."""
    found = []
    for opening in openings(expression, start, days, within):
        found.append(opening)
        if len(found) >= count:
            break
    return found


def open_days(expression, first_day, days, within=""):
    """The dates from `first_day` on which `expression` (within `within`) opens, for `days` days: the "this weekend"
    and calendar pages read them."""
    start = datetime.datetime.combine(first_day, datetime.time(), PARIS)
    seen = []
    for opens_at, _closes_at in openings(expression, start, days, within):
        day = opens_at.date()
        if not seen or seen[-1] != day:
            seen.append(day)
    return seen
