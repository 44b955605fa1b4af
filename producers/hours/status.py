"""Open now: whether a listing is open at a moment, and the label the cards, the map and the page show."""

import datetime
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext

from .describe import day_name, format_time
from .syntax import APPOINTMENT, OPEN, PARIS, UNKNOWN, kind, parse


@dataclass(frozen=True)
class OpeningStatus:
    is_open: bool | None  # None: no hours, or the state is unknown (e.g. by appointment)
    label: str
    changes_at: datetime.datetime | None = None  # next opening or closing, in Europe/Paris
    comment: str = ""

    def __bool__(self):
        return bool(self.is_open)


def _later(moment, days):
    """`moment` + `days`, as an instant: wall-clock arithmetic could land in the hour skipped in spring, which
    opening-hours-py refuses."""
    return (moment.astimezone(datetime.UTC) + datetime.timedelta(days=days)).astimezone(PARIS)


class _Span(NamedTuple):
    """A temporary closure's days, as status() reads them."""

    starts_on: datetime.date
    ends_on: datetime.date


def _runs(oh, start, days=366):
    """(opens_at, closes_at, kind, comment) from `start`, lazily, merging adjacent intervals of the same kind.

    The last run is cut at `start + days`: an open run ending there has no known closing time.
    """
    run = None
    for opens_at, closes_at, state, comment in oh.intervals(start, _later(start, days)):
        range_kind = kind(state, comment)
        if run and run[2] == range_kind:
            run = (run[0], closes_at, range_kind, run[3] or comment)
            continue
        if run:
            yield run
        run = (opens_at, closes_at, range_kind, comment)
    if run:
        yield run


def _without_closures(runs, closures):
    """The runs with the closed days cut out: a run that meets a temporary closure is split there, the closure being
    a closed run (kind None) from its first day's midnight to the midnight after its last day, in Paris.
    `closures`: (first day, last day) pairs, within the runs' horizon."""
    spans = sorted(
        (
            datetime.datetime.combine(starts_on, datetime.time(), PARIS),
            datetime.datetime.combine(ends_on + datetime.timedelta(days=1), datetime.time(), PARIS),
        )
        for starts_on, ends_on in closures
    )
    for opens_at, closes_at, run_kind, comment in runs:
        start = opens_at
        if run_kind is not None:
            for closed_from, closed_until in spans:
                if closed_until <= start or closed_from >= closes_at:
                    continue
                closed_start = max(closed_from, start)
                if closed_from > start:
                    yield start, closed_from, run_kind, comment
                start = min(closed_until, closes_at)
                yield closed_start, start, None, ""
        if start < closes_at:
            yield start, closes_at, run_kind, comment


def _in_closure(day, closures):
    return any(starts_on <= day <= ends_on for starts_on, ends_on in closures)


def _when(moment, now):
    """('today' | 'tomorrow' | day name | 'le 1 septembre', time) of `moment` seen from `now`."""
    delta = (moment.date() - now.date()).days
    time = format_time(moment.hour * 60 + moment.minute)
    if delta == 0:
        return "today", time
    if delta == 1:
        return "tomorrow", time
    if delta < 7:
        return day_name(moment.weekday()), time
    return date_format(moment.date(), "j F"), time


def status(expression, moment=None, closures=(), language=None):
    """Whether the listing is open at `moment` (aware datetime, default now), with a label, in Europe/Paris.

    `closures`: the listing's temporary closures (anything with `starts_on` and `ends_on` dates, last day included).
    A closure covering the day closes the listing, and the next opening is the first one after it. `language`: the
    active one (get_language()), when the caller already has it: a page of cards asks once, not once per card (each
    look-up of the active language goes through asgiref's Local, ~16,000 instructions).
    """
    if parse(expression) is None:
        return OpeningStatus(None, "")
    now = timezone.localtime(moment or timezone.now(), PARIS)
    # Hours change state on whole minutes: any moment of a minute has the status of its first second. A page of
    # cards (and a map) evaluates each distinct expression once a minute per process, not once per listing.
    # Closures are keyed by their dates, not by their rows: a closure whose dates were edited is another key.
    spans = tuple(sorted(_Span(closure.starts_on, closure.ends_on) for closure in closures))
    return _status(expression, now.replace(second=0, microsecond=0), spans, language or get_language())


@lru_cache(maxsize=4096)
def _status(expression, now, closures, language):
    """status() at `now` (a whole minute, Europe/Paris), its labels in `language` (the active one: part of the key)."""
    oh = parse(expression)
    horizon = _later(now, 366)
    runs = _runs(oh, now)
    # Only what falls within the runs' horizon counts (and a closure "until 9999" cannot overflow a date).
    last_day = horizon.date()
    closures = [(c.starts_on, min(c.ends_on, last_day)) for c in closures if c.starts_on <= last_day]
    if closures:
        runs = _without_closures(runs, closures)
        if _in_closure(now.date(), closures):
            return _temporarily_closed(runs, now)
    opens_at, closes_at, run_kind, comment = next(runs)
    if run_kind == OPEN:
        if closes_at >= horizon:
            return OpeningStatus(True, gettext("Open now"), None, comment)
        day, time = _when(closes_at, now)
        if day == "today":
            label = gettext("Open now · closes at %(time)s") % {"time": time}
        elif day == "tomorrow":
            label = gettext("Open now · closes tomorrow at %(time)s") % {"time": time}
        else:
            label = gettext("Open now")
        return OpeningStatus(True, label, closes_at, comment)
    if run_kind == APPOINTMENT:
        return OpeningStatus(None, gettext("By appointment"), closes_at, comment)
    if run_kind == UNKNOWN:
        return OpeningStatus(None, comment or gettext("Hours to be confirmed"), closes_at, comment)
    by_appointment = False
    for run in runs:
        if run[2] == OPEN:
            break
        by_appointment = by_appointment or run[2] == APPOINTMENT
    else:
        return OpeningStatus(False, gettext("Closed · by appointment") if by_appointment else gettext("Closed"))
    opens_at = run[0]
    day, time = _when(opens_at, now)
    if day == "today":
        label = gettext("Opens today at %(time)s") % {"time": time}
    elif day == "tomorrow":
        label = gettext("Closed · opens tomorrow at %(time)s") % {"time": time}
    elif (opens_at.date() - now.date()).days < 7:
        label = gettext("Closed · opens %(day)s at %(time)s") % {"day": day, "time": time}
    else:
        label = gettext("Closed · opens on %(date)s at %(time)s") % {"date": day, "time": time}
    return OpeningStatus(False, label, opens_at)


def _temporarily_closed(runs, now):
    """The label during a temporary closure: when the listing opens again (its first run after the closure that is
    not closed; by appointment or to be confirmed, the day the closure ends)."""
    after = next((run for run in runs if run[2] is not None), None)
    if after is None:
        return OpeningStatus(False, gettext("Temporarily closed"))
    opens_at = after[0]
    if after[2] != OPEN:
        label = gettext("Temporarily closed · back on %(date)s") % {"date": date_format(opens_at.date(), "j F")}
        return OpeningStatus(False, label, opens_at)
    day, time = _when(opens_at, now)
    if day == "tomorrow":
        label = gettext("Temporarily closed · opens tomorrow at %(time)s") % {"time": time}
    elif (opens_at.date() - now.date()).days < 7:
        label = gettext("Temporarily closed · opens %(day)s at %(time)s") % {"day": day, "time": time}
    else:
        label = gettext("Temporarily closed · opens on %(date)s at %(time)s") % {"date": day, "time": time}
    return OpeningStatus(False, label, opens_at)


def attach_statuses(listings, moment=None):
    """Set `hours_status` on each listing (what the listing cards show), all at the same moment; returns them.

    Each listing's temporary closures are read from `current_closures` (Listing.objects.with_current_closures()
    prefetches them), so that a page of cards costs one query for all of them."""
    moment, language = moment or timezone.now(), get_language()
    for listing in listings:
        listing.hours_status = status(listing.opening_hours, moment, listing.current_closures, language)
    return listings
