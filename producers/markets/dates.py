"""A market's dates: the days and times it is held, read from its opening hours by the hours engine itself.

Every page, feed and filter about markets takes its dates from here, and here from producers.hours.dated_slots,
the evaluation the "open now" slots are written from: the market page, the week's agenda, the iCalendar feeds
and the map's "today" filter say the same thing. Public holidays ("PH off"), seasons ("Apr-Oct"), nth weekdays
("Sa[1,3]") and dated fairs ("2026 Dec 12-14") come out of the evaluation as plain dates; a temporary closure
covering a day removes that day.
"""

import datetime
from typing import NamedTuple

from django.utils import timezone

from producers import hours

from ..models.closures import paris_today


class Occurrence(NamedTuple):
    """One time a market is held: `day`, from `opens` to `closes` (Paris wall-clock minutes, `closes` up to 1440)."""

    day: datetime.date
    opens: int
    closes: int

    def starts_at(self):
        return _at(self.day, self.opens)

    def ends_at(self):
        return _at(self.day, self.closes)


def _at(day, minute):
    """The aware datetime, in Europe/Paris, of `minute` past midnight on `day` (1440: the next midnight)."""
    day = day + datetime.timedelta(days=minute // hours.DAY_MINUTES)
    minute %= hours.DAY_MINUTES
    return datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60), hours.PARIS)


def _closed(day, closures):
    return any(closure.starts_on <= day <= closure.ends_on for closure in closures)


def occurrences(expression, first_day, days, closures=()):
    """The Occurrences of `expression` from `first_day` for `days` days, in order; none for blank or invalid hours.

    `closures`: anything with `starts_on` and `ends_on` (a listing's `current_closures`). Ranges split at midnight
    by the evaluation are joined again (a night market 20:00-02:00 is one occurrence).
    """
    last_day = first_day + datetime.timedelta(days=days - 1)
    found = []
    week = datetime.timedelta(days=7)
    for slot in hours.dated_slots((expression or "").strip(), first_day, days):
        day = slot.first_day
        while day <= slot.last_day:
            if day <= last_day and not _closed(day, closures):
                found.append(Occurrence(day, slot.opens, slot.closes))
            day += week
    found.sort()
    joined = []
    for occurrence in found:
        previous = joined[-1] if joined else None
        if (
            previous
            and previous.closes == hours.DAY_MINUTES
            and occurrence.opens == 0
            and occurrence.day == previous.day + datetime.timedelta(days=1)
        ):
            joined[-1] = previous._replace(closes=hours.DAY_MINUTES + occurrence.closes)
        else:
            joined.append(occurrence)
    return joined


# How far the market page and the department's list look for the next dates: a seasonal market closed in
# winter still shows its first spring date.
LOOK_AHEAD_DAYS = 366


def next_occurrences(listing, count=3, today=None, moment=None):
    """The next `count` Occurrences of a listing (its `opening_hours` and `current_closures`), from today; one
    held at `moment` (default now) counts, one already over does not."""
    now = timezone.localtime(moment or timezone.now(), hours.PARIS)
    today = today or now.date()
    closures = getattr(listing, "current_closures", ())
    upcoming = []
    for occurrence in occurrences(listing.opening_hours, today, LOOK_AHEAD_DAYS, closures):
        if occurrence.ends_at() <= now:
            continue
        upcoming.append(occurrence)
        if len(upcoming) == count:
            break
    return upcoming


def week_ahead(listings, days=7, today=None):
    """[(day, [(Occurrence, listing), …]), …] for the `days` days from today: every day, even an empty one,
    each day's markets by opening time then name."""
    today = today or paris_today()
    by_day = {today + datetime.timedelta(days=offset): [] for offset in range(days)}
    for listing in listings:
        for occurrence in occurrences(listing.opening_hours, today, days, getattr(listing, "current_closures", ())):
            by_day[occurrence.day].append((occurrence, listing))
    for held in by_day.values():
        held.sort(key=lambda pair: (pair[0].opens, pair[1].name.casefold(), pair[1].pk))
    return list(by_day.items())


def weekend(today=None):
    """The days of "this weekend" seen from `today`: the coming Saturday and Sunday (only Sunday on a Sunday)."""
    today = today or paris_today()
    if today.weekday() == 6:
        return [today]
    saturday = today + datetime.timedelta(days=5 - today.weekday())
    return [saturday, saturday + datetime.timedelta(days=1)]
