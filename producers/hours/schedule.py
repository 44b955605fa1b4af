"""The weekly schedule of an expression: what it evaluates to on reference dates, never read from its text.

That is what lets the listing page, the per-day form and the schema.org data agree with each other.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .syntax import DAY_MINUTES, PARIS, kind, parse

# A week of 2026 without public holiday nor daylight-saving change: the "ordinary" week of the schedule.
ORDINARY_WEEK = datetime.date(2026, 1, 12)
# Mondays of weeks spread over the year (and over the weeks of the month), none holding a public holiday or a
# daylight-saving change: an expression that evaluates the same on all of them is a plain weekly schedule.
SAMPLE_WEEKS = [
    ORDINARY_WEEK,
    datetime.date(2026, 2, 2),
    datetime.date(2026, 3, 16),
    datetime.date(2026, 4, 20),
    datetime.date(2026, 5, 18),
    datetime.date(2026, 6, 22),
    datetime.date(2026, 7, 20),
    datetime.date(2026, 8, 3),
    datetime.date(2026, 9, 7),
    datetime.date(2026, 10, 12),
    datetime.date(2026, 11, 23),
    datetime.date(2026, 12, 7),
]
# Christmas falls on each weekday in one of these years: the reference public holiday for that weekday.
HOLIDAY_BY_WEEKDAY = [datetime.date(year, 12, 25) for year in (2023, 2018, 2019, 2025, 2020, 2021, 2022)]


class Segment(NamedTuple):
    """One range of a day, in minutes since midnight (`closes` up to 1440)."""

    opens: int
    closes: int
    kind: str  # OPEN, APPOINTMENT or UNKNOWN
    comment: str = ""


@dataclass(frozen=True)
class WeeklySchedule:
    """What an expression gives on each weekday (0 = Monday): on an ordinary day and on a public holiday."""

    days: tuple  # 7 tuples of Segment
    holidays: tuple  # 7 tuples of Segment


def _minutes(moment, midnight):
    return int((moment.replace(tzinfo=None) - midnight).total_seconds() // 60)


def day_segments(oh, day):
    """The non-closed ranges of `day`, in local minutes; adjacent ranges of the same kind are merged."""
    midnight = datetime.datetime(day.year, day.month, day.day)
    start = midnight.replace(tzinfo=PARIS)
    end = (midnight + datetime.timedelta(days=1)).replace(tzinfo=PARIS)
    segments = []
    for opens_at, closes_at, state, comment in oh.intervals(start, end):
        range_kind = kind(state, comment)
        if range_kind is None:
            continue
        opens = max(0, _minutes(opens_at, midnight))
        closes = min(DAY_MINUTES, _minutes(closes_at, midnight))
        if opens >= closes:
            continue
        if segments and segments[-1].closes == opens and segments[-1][2:] == (range_kind, comment):
            segments[-1] = segments[-1]._replace(closes=closes)
        else:
            segments.append(Segment(opens, closes, range_kind, comment))
    return tuple(segments)


def _week(oh, monday):
    return tuple(day_segments(oh, monday + datetime.timedelta(days=d)) for d in range(7))


@lru_cache(maxsize=1024)
def _analyse(expression):
    """(reference WeeklySchedule, whether the expression is the same every week) or None when blank/invalid."""
    oh = parse(expression)
    if oh is None:
        return None
    days = _week(oh, ORDINARY_WEEK)
    holidays = tuple(day_segments(oh, day) for day in HOLIDAY_BY_WEEKDAY)
    weekly = all(_week(oh, monday) == days for monday in SAMPLE_WEEKS[1:])
    return WeeklySchedule(days, holidays), weekly


def reference_schedule(expression):
    """The WeeklySchedule of an ordinary week and of public holidays, even for seasonal expressions; or None."""
    analysis = _analyse((expression or "").strip())
    return analysis[0] if analysis else None


def weekly_schedule(expression):
    """The WeeklySchedule when the expression is the same every week of the year (no seasons, months,
    sunrise…); None otherwise or when blank/invalid."""
    analysis = _analyse((expression or "").strip())
    return analysis[0] if analysis and analysis[1] else None
