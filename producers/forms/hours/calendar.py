"""The calendar part of the per-day hours form (producers.forms.hours): which weeks of the month, which season or
which dates, as the widget posts them and shows them again. The syntax itself is producers.hours.calendar."""

import datetime

from django.utils.dates import MONTHS
from django.utils.translation import gettext

from producers.hours.calendar import WEEK_CHOICES, empty

# The longest event the dates may describe: a fair, a summer market, not a year-round calendar.
MAX_DATES_DAYS = 366


def month_choices():
    return [(number, MONTHS[number]) for number in range(1, 13)]


__all__ = ["MAX_DATES_DAYS", "WEEK_CHOICES", "from_data", "month_choices", "parse_date", "to_raw"]


def parse_date(text):
    """A date typed in a date input (2026-12-12) or the French way (12/12/2026); None if it is not one."""
    text = (text or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def from_data(data, name):
    """(calendar, raw values to show again, [error messages]) from the widget's posted fields."""
    raw = {
        "weeks": data.getlist(f"{name}_weeks") if hasattr(data, "getlist") else data.get(f"{name}_weeks") or [],
        "season_from": data.get(f"{name}_season_from", ""),
        "season_to": data.get(f"{name}_season_to", ""),
        "first_date": data.get(f"{name}_first_date", ""),
        "last_date": data.get(f"{name}_last_date", ""),
    }
    calendar, errors = empty(), []
    valid_weeks = {str(week) for week, _label in WEEK_CHOICES}
    calendar["weeks"] = sorted({int(w) for w in raw["weeks"] if w in valid_weeks}, key=lambda w: (w < 0, w))
    if len(calendar["weeks"]) == len(WEEK_CHOICES) - 1 and -1 not in calendar["weeks"]:
        calendar["weeks"] = []  # every week of the month is every week
    months = {str(number) for number in range(1, 13)}
    season_from, season_to = raw["season_from"], raw["season_to"]
    if season_from in months and season_to in months:
        calendar["season"] = (int(season_from), int(season_to))
    elif season_from in months or season_to in months:
        errors.append(gettext("Season: choose the first and the last month."))
    first_text, last_text = raw["first_date"].strip(), raw["last_date"].strip()
    if first_text or last_text:
        first, last = parse_date(first_text or last_text), parse_date(last_text or first_text)
        if first is None or last is None:
            errors.append(gettext("Dates: enter days such as 12/12/2026."))
        elif last < first:
            errors.append(gettext("Dates: the last day must be after the first one."))
        elif (last - first).days >= MAX_DATES_DAYS:
            errors.append(gettext("Dates: an event lasts a year at most; for a season, choose months instead."))
        else:
            calendar["dates"] = (first, last)
    if calendar["dates"] and calendar["season"]:
        errors.append(gettext("Choose either a season or dates, not both."))
    return calendar, raw, errors


def to_raw(calendar):
    """The widget's field values for a calendar read from an expression."""
    first, last = calendar["dates"] or (None, None)
    season_from, season_to = calendar["season"] or ("", "")
    return {
        "weeks": [str(week) for week in calendar["weeks"]],
        "season_from": str(season_from),
        "season_to": str(season_to),
        "first_date": first.isoformat() if first else "",
        "last_date": last.isoformat() if last else "",
    }
