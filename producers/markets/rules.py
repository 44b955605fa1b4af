"""Recurrence rules that say a market's dates in few words, for the iCalendar feeds and schema.org's Schedule.

The rules are never read from the hours' text: they are fitted to the dates the hours engine gives
(producers.markets.dates), then checked against them. For each time range (08:00-13:00) the dates are tried as
  every day, every week on some weekdays (BYDAY=SA), every month on nth weekdays (BYDAY=1SA,3SA or -1SA),
from the first date to the last (a season ends with its UNTIL); the rule that leaves out the fewest days wins, the
days it leaves out (public holidays, closures) becoming exceptions (EXDATE). When no rule fits without too many
exceptions, the time range is tried again weekday by weekday, and what still fits none is a list of single dates.
So a feed's events always give exactly the dates the page shows.
"""

import datetime
from dataclasses import dataclass, field

DAILY, WEEKLY, MONTHLY = "DAILY", "WEEKLY", "MONTHLY"
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Rule:
    """Dates from `first_day` to `last_day` (both held) at `opens`-`closes`.

    `freq` None: `dates` lists them one by one. Otherwise `byday` holds (nth, weekday) pairs (nth None for every
    week, 1 for the first of the month, -1 for the last), and `exceptions` the days the rule gives that are not
    held.
    """

    opens: int
    closes: int
    first_day: datetime.date
    last_day: datetime.date
    freq: str | None = None
    byday: tuple = ()
    exceptions: tuple = ()
    dates: tuple = field(default=())

    def days(self):
        """Every day held, as the rule says it."""
        if self.freq is None:
            return list(self.dates)
        exceptions = set(self.exceptions)
        return [day for day in _expand(self.freq, self.byday, self.first_day, self.last_day) if day not in exceptions]

    @property
    def ical_byday(self):
        return [f"{nth or ''}{ICAL_DAYS[weekday]}" for nth, weekday in self.byday]


def _nth(day):
    return (day.day - 1) // 7 + 1


def _nth_from_end(day):
    next_month = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    days_after = (next_month - day).days - 1
    return -(days_after // 7) - 1


def _matches(freq, byday, day):
    if freq == DAILY:
        return True
    if freq == WEEKLY:
        return (None, day.weekday()) in byday
    return (_nth(day), day.weekday()) in byday or (_nth_from_end(day), day.weekday()) in byday


def _expand(freq, byday, first_day, last_day):
    day = first_day
    while day <= last_day:
        if _matches(freq, byday, day):
            yield day
        day += datetime.timedelta(days=1)


def _candidates(days):
    weekdays = sorted({day.weekday() for day in days})
    yield DAILY, ()
    yield WEEKLY, tuple((None, weekday) for weekday in weekdays)
    yield MONTHLY, tuple(sorted({(_nth(day), day.weekday()) for day in days}))
    yield MONTHLY, tuple(sorted({(_nth_from_end(day), day.weekday()) for day in days}))


def _fit(opens, closes, days):
    """The Rule giving `days` (sorted, at least two) with the fewest exceptions, or None if all need too many."""
    held = set(days)
    best = None
    for freq, byday in _candidates(days):
        if freq == MONTHLY and len(byday) > 10:
            continue
        expanded = list(_expand(freq, byday, days[0], days[-1]))
        missing = [day for day in expanded if day not in held]
        if best is None or len(missing) < len(best.exceptions):
            best = Rule(opens, closes, days[0], days[-1], freq, byday, tuple(missing))
    # A holiday or two in a season is an exception; a rule that misses a day in three is not the market's rule.
    if len(best.exceptions) <= len(days) // 4:
        return best
    return None


def _single(opens, closes, days):
    return Rule(opens, closes, days[0], days[-1], dates=tuple(days))


def fit_rules(occurrences):
    """Rules giving exactly `occurrences` (producers.markets.dates.Occurrence), in order of their first day."""
    by_range = {}
    for occurrence in occurrences:
        by_range.setdefault((occurrence.opens, occurrence.closes), []).append(occurrence.day)
    rules = []
    for (opens, closes), days in by_range.items():
        days = sorted(set(days))
        rule = _fit(opens, closes, days) if len(days) > 1 else None
        if rule is not None:
            rules.append(rule)
            continue
        by_weekday = {}
        for day in days:
            by_weekday.setdefault(day.weekday(), []).append(day)
        for weekday_days in by_weekday.values():
            rule = _fit(opens, closes, weekday_days) if len(weekday_days) > 1 else None
            rules.append(rule or _single(opens, closes, weekday_days))
    rules.sort(key=lambda rule: (rule.first_day, rule.opens, rule.closes))
    return rules
