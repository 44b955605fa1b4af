"""Dated opening slots: what the SQL "open now" filter reads, taken from the same evaluation as the cards.

The filter cannot run opening-hours-py inside the database, so each listing's open ranges for the coming weeks are
written down as rows. Reading them from the evaluation itself (not from a reference week) keeps seasons, week
numbers, "Sa[1]" and public holidays right: the filter, the map, the cards and the page agree at every moment of
the window. Ranges are in Paris wall-clock minutes, as opening-hours-py reads a moment (a range ending at 02:30 on
the night clocks go back covers both 02:15s), and split at midnight.

A slot says "open on `weekday` from `opens` to `closes`, every week from `first_day` to `last_day`": an ordinary
week takes one row per range for the whole window, and a holiday or a season only splits the runs it touches
(about 15 rows for "Mo-Sa 09:00-12:00,14:00-18:30; PH off" over eight weeks, instead of 96 one-day rows).
"""

import datetime
from functools import lru_cache
from typing import NamedTuple

from opening_hours import OpeningHours, validate

from .syntax import COUNTRY, OPEN, kind


class Slot(NamedTuple):
    weekday: int  # 0 = Monday
    first_day: datetime.date
    last_day: datetime.date  # the same weekday, a whole number of weeks after first_day
    opens: int  # minutes since midnight, Paris wall clock
    closes: int  # up to 1440


@lru_cache(maxsize=256)
def _wall_clock(expression):
    # Without a time zone opening-hours-py works on naive wall-clock times, which is what the slots hold.
    expression = (expression or "").strip()
    if not expression or not validate(expression):
        return None
    try:
        return OpeningHours(expression, country=COUNTRY)
    except (SyntaxError, ValueError):
        return None


def _day_ranges(oh, day):
    """[(opens, closes)] of the open ranges of `day`, in wall-clock minutes.

    One evaluation per day: over a longer span, opening-hours-py 2.1.4's iterator can skip a day's ranges (with
    "week" and "||" rules, found by tests/producers/test_open_now_agreement.py), while its answer from any
    midnight matches what it says for the moment itself, which is what the cards show.
    """
    midnight = datetime.datetime.combine(day, datetime.time())
    ranges = []
    for opens_at, closes_at, state, comment in oh.intervals(midnight, midnight + datetime.timedelta(days=1)):
        if kind(state, comment) != OPEN:
            continue
        opens = int((opens_at - midnight).total_seconds() // 60)
        closes = int((closes_at - midnight).total_seconds() // 60)
        # Two open intervals that touch (a comment changes at noon) are one range to a shopper.
        if ranges and ranges[-1][1] == opens:
            ranges[-1] = (ranges[-1][0], closes)
        elif opens < closes:
            ranges.append((opens, closes))
    return ranges


@lru_cache(maxsize=2048)
def dated_slots(expression, first_day, days):
    """The Slots of `expression` from `first_day` (a date) for `days` days; [] when blank or invalid.

    Ranges by appointment or of unknown state are not open, as on the cards.
    """
    oh = _wall_clock(expression)
    if oh is None:
        return ()
    week = datetime.timedelta(days=7)
    runs = {}  # (weekday, opens, closes) -> [[first_day, last_day], …]
    for offset in range(days):
        day = first_day + datetime.timedelta(days=offset)
        for opens, closes in _day_ranges(oh, day):
            key = (day.weekday(), opens, closes)
            found = runs.setdefault(key, [])
            if found and found[-1][1] == day - week:
                found[-1][1] = day
            else:
                found.append([day, day])
    return tuple(
        Slot(weekday, first, last, opens, closes)
        for (weekday, opens, closes), spans in runs.items()
        for first, last in spans
    )
