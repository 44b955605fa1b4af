"""Opening hours in words, in the active language: '9 h – 12 h et 14 h – 18 h 30' in French, '9:00–12:00 and
14:00–18:30' in English. Source strings are English; French comes from the catalogue like the rest of the site."""

from functools import lru_cache
from typing import NamedTuple

from django.utils.dates import WEEKDAYS
from django.utils.text import get_text_list
from django.utils.translation import get_language, gettext, ngettext, pgettext

from . import calendar
from .schedule import weekly_schedule
from .syntax import APPOINTMENT, DAY_MINUTES, UNKNOWN


def _french():
    return (get_language() or "fr").startswith("fr")


def format_time(minute):
    """9 h, 9 h 30 in French; 9:00, 9:30 otherwise. 1440 is midnight at the end of the day (24 h)."""
    hours, minutes = divmod(minute, 60)
    if _french():
        return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"
    return f"{hours}:{minutes:02d}"


def format_range(opens, closes):
    if closes > DAY_MINUTES:  # a range running past midnight, shown on the day it starts
        closes -= DAY_MINUTES
    dash = " – " if _french() else "–"
    return f"{format_time(opens)}{dash}{format_time(closes)}"


def day_name(weekday):
    """Lower-case name of the day in French (lundi, mardi… from Django's own catalogue), capitalised in English."""
    name = str(WEEKDAYS[weekday])
    return name.lower() if _french() else name


def _and_list(items):
    items = [str(item) for item in items]
    # "and" is in Django's own catalogues ("et" in French), so lists read right in every language.
    return get_text_list(items, gettext("and")) if len(items) > 1 else (items[0] if items else "")


def days_label(weekdays):
    """'du lundi au vendredi', 'samedi', 'lundi, mercredi et vendredi', 'tous les jours' (French)."""
    weekdays = sorted(weekdays)
    if len(weekdays) == 7:
        return gettext("every day")
    runs, parts = [], []
    for day in weekdays:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    for run in runs:
        if len(run) >= 3:
            parts.append(
                pgettext("run of days", "%(first)s to %(last)s")
                % {"first": day_name(run[0]), "last": day_name(run[-1])}
            )
        else:
            parts.extend(day_name(day) for day in run)
    return _and_list(parts)


def _segment_label(segment):
    whole_day = segment.opens == 0 and segment.closes == DAY_MINUTES
    if segment.kind == APPOINTMENT:
        note = gettext("by appointment")
    elif segment.kind == UNKNOWN:
        note = segment.comment or gettext("hours to be confirmed")
    else:
        note = segment.comment
    if whole_day:
        return note or pgettext("opening hours", "all day")
    hours = format_range(segment.opens, segment.closes)
    return gettext("%(hours)s (%(note)s)") % {"hours": hours, "note": note} if note else hours


def hours_label(segments):
    """'9 h – 12 h et 14 h – 18 h 30', 'sur rendez-vous', 'fermé' (French)."""
    if not segments:
        return pgettext("opening hours of a day", "closed")
    return _and_list(_segment_label(segment) for segment in segments)


def _join_midnight(week):
    """Show a range crossing midnight on the day it starts ('22 h – 2 h'), not as two pieces."""
    week = [list(day) for day in week]
    for day in range(7):
        following = week[(day + 1) % 7]
        if not week[day] or not following:
            continue
        last, first = week[day][-1], following[0]
        whole_day = (first.opens, first.closes) == (0, DAY_MINUTES) or last.opens == 0
        if last.closes == DAY_MINUTES and first.opens == 0 and last[2:] == first[2:] and not whole_day:
            week[day][-1] = last._replace(closes=DAY_MINUTES + first.closes)
            following.pop(0)
    return week


class HoursRow(NamedTuple):
    days: str
    hours: str


def _raw_row(expression):
    return [HoursRow(pgettext("opening hours", "hours"), expression)]


def describe(expression):
    """Rows (days label, hours label) for the listing page, in the active language.

    Days with identical hours are grouped; public holidays get their own row when they differ. An expression
    that is not a plain weekly schedule (seasons, months…) or is invalid comes back as one row holding it raw.
    """
    expression = (expression or "").strip()
    if not expression:
        return []
    return list(_describe(expression, get_language()))


# Kept per expression and language as the parsed schedules are (schedule.py): the rows depend on nothing else, and
# saying them took ~0.6 ms of each listing page (some thirty look-ups of the active language and as many
# translations); listings share a few common schedules.
@lru_cache(maxsize=1024)
def _describe(expression, language):
    return tuple(_rows(expression))


def _rows(expression):
    found = calendar.split(expression)
    if found is not None:
        return _describe_calendar(expression, *found)
    schedule = weekly_schedule(expression)
    if schedule is None:
        return _raw_row(expression)
    week = _join_midnight(schedule.days)
    labels = [hours_label(segments) for segments in week]
    closed = hours_label(())
    rows, seen = [], set()
    # Days sharing hours share a row, in the order of the week; the closed days come last.
    for label in sorted(labels, key=lambda label: label == closed):
        if label in seen:
            continue
        seen.add(label)
        rows.append(HoursRow(days_label([d for d in range(7) if labels[d] == label]), label))
    holiday_row = _holiday_row(schedule)
    if holiday_row is False:
        return _raw_row(expression)
    if holiday_row:
        rows.append(holiday_row)
    return rows


def _describe_calendar(expression, when, weekly):
    """A weekly schedule behind some weeks of the month, a season or dates: its rows, the days' labels saying which
    weeks, after a row saying the season or the dates."""
    rows = describe(weekly)
    if not rows or rows == _raw_row(weekly):
        return _raw_row(expression)
    closed = hours_label(())
    if when["weeks"]:
        weeks = calendar.weeks_label(when["weeks"])
        rows = [
            row
            if row.hours == closed or row.days == _holidays_label()
            else row._replace(
                days=ngettext(
                    "%(days)s (%(weeks)s week of the month)",
                    "%(days)s (%(weeks)s weeks of the month)",
                    len(when["weeks"]),
                )
                % {"days": row.days, "weeks": weeks}
            )
            for row in rows
        ]
    if when["dates"]:
        rows.insert(0, HoursRow(pgettext("opening hours", "dates"), calendar.dates_label(when["dates"])))
    elif when["season"]:
        rows.insert(0, HoursRow(pgettext("opening hours", "season"), calendar.season_label(when["season"])))
    return rows


def _holidays_label():
    return gettext("public holidays")


def _holiday_row(schedule):
    """None when holidays are ordinary days, a row when they share one schedule, False otherwise."""
    if schedule.holidays == schedule.days:
        return None
    if len(set(schedule.holidays)) == 1:
        return HoursRow(_holidays_label(), hours_label(schedule.holidays[0]))
    return False


def describe_lines(expression, open_days_only=False):
    """describe() as sentences: 'du lundi au vendredi : 9 h – 12 h', 'fermé les jours fériés' (French).

    `open_days_only`: without the row of the closed weekdays (a market held on Saturdays need not list the six
    others); a row about public holidays stays."""
    lines = []
    closed = hours_label(())
    for row in describe(expression):
        if row == (_holidays_label(), closed):
            lines.append(gettext("closed on public holidays"))
        elif open_days_only and row.hours == closed:
            continue
        else:
            lines.append(pgettext("opening hours row", "%(days)s: %(hours)s") % row._asdict())
    return lines
