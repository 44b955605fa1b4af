"""The per-day form's value (a mode, seven days of ranges, public holidays, a calendar, the raw expression) read
from an opening_hours expression and written back to one, and the mistakes of each day."""

import datetime
import re
from typing import NamedTuple

from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from producers import hours

from . import calendar as calendar_form

calendar = hours.calendar

DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
RANGES_PER_DAY = 3
CLOSED, OPEN, APPOINTMENT = "closed", "open", "appointment"
STATE_CHOICES = [
    (CLOSED, _("Closed")),
    (OPEN, pgettext_lazy("state of a day", "Open")),
    (APPOINTMENT, _("By appointment")),
]
SIMPLE, ADVANCED = "simple", "advanced"
# A year whose every month and week of the month is compared when reading a season back (any year would do).
_YEAR = datetime.date(2026, 1, 1)

TIME_RE = re.compile(r"^(\d{1,2})\s*[:hH]\s*(\d{2})?(?::\d{2})?$")


def empty_value():
    return {
        "mode": SIMPLE,
        "days": [{"state": CLOSED, "ranges": [("", "")] * RANGES_PER_DAY} for _day in DAY_CODES],
        "ph_off": True,
        "advanced": "",
        # Some weeks of the month, a season or dates (producers.forms.hours.calendar): markets and fairs.
        "calendar": calendar.empty(),
        "calendar_raw": calendar_form.to_raw(calendar.empty()),
        "calendar_errors": [],
    }


def _hhmm(minute):
    return "00:00" if minute == hours.DAY_MINUTES else f"{minute // 60:02d}:{minute % 60:02d}"


def _osm_time(minute):
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _advanced(expression):
    return {**empty_value(), "mode": ADVANCED, "advanced": expression}


def decompress(expression):
    """The per-day value of an opening_hours string; the advanced mode when it does not fit the per-day form."""
    expression = (expression or "").strip()
    value = empty_value()
    if not expression:
        return value
    if hours.days_split_by_a_space(expression):
        # Stored before such hours were refused: shown as typed, with the validator's message on saving, never as
        # the per-day reading ("Mo, We 10:00-12:00" as Monday open all day), which saving would write back.
        return _advanced(expression)
    schedule = hours.weekly_schedule(expression)
    # Dates outside the reference weeks look like a week closed every day: their calendar is read first.
    if schedule is None or calendar.split(expression) is not None:
        return _decompress_calendar(expression)
    if schedule.holidays == schedule.days:
        value["ph_off"] = False
    elif all(not segments for segments in schedule.holidays):
        value["ph_off"] = True
    else:
        return _advanced(expression)
    for day, segments in zip(value["days"], schedule.days, strict=True):
        if not segments:
            continue
        kinds = {segment.kind for segment in segments}
        if len(segments) > RANGES_PER_DAY or len(kinds) > 1 or kinds == {hours.UNKNOWN}:
            return _advanced(expression)
        if hours.OPEN in kinds and any(segment.comment for segment in segments):
            return _advanced(expression)
        day["state"] = APPOINTMENT if hours.APPOINTMENT in kinds else OPEN
        whole_day = [(s.opens, s.closes) for s in segments] == [(0, hours.DAY_MINUTES)]
        if not (day["state"] == APPOINTMENT and whole_day):
            ranges = [(_hhmm(s.opens), _hhmm(s.closes)) for s in segments]
            day["ranges"] = ranges + [("", "")] * (RANGES_PER_DAY - len(ranges))
    # Whatever the reading above missed, the expression written back must mean the same.
    rewritten, errors = compress(value)
    if errors or hours.weekly_schedule(rewritten) != schedule:
        return _advanced(expression)
    return value


def _normal(expression):
    parsed = hours.parse(expression)
    return str(parsed.normalize()) if parsed is not None else None


def _same_dates(first, second, when):
    """Whether two expressions open at the same moments: over the dates of `when`, or a whole year (every month,
    every week of the month) for a season or weeks. Rules may come in another order: the text cannot tell."""
    if _normal(first) == _normal(second):
        return True
    start, days = (when["dates"][0], (when["dates"][1] - when["dates"][0]).days + 2) if when["dates"] else (_YEAR, 366)
    moment = datetime.datetime.combine(start, datetime.time(), hours.PARIS)
    return list(hours.openings(first, moment, days)) == list(hours.openings(second, moment, days))


def _decompress_calendar(expression):
    """The per-day value of a weekly expression behind some weeks of the month, a season or dates; the advanced
    mode when it is anything else."""
    found = calendar.split(expression)
    if found is None:
        return _advanced(expression)
    value = decompress(found[1])
    if value["mode"] == ADVANCED:
        return _advanced(expression)
    value["calendar"], value["calendar_raw"] = found[0], calendar_form.to_raw(found[0])
    rewritten, errors = compress(value)
    if errors or not _same_dates(rewritten, expression, value["calendar"]):
        return _advanced(expression)
    return value


def _parse_time(text):
    match = TIME_RE.match(text.strip())
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour > 23 or minute > 59:
        return None
    return hour * 60 + minute


def _days_spec(weekdays):
    runs = []
    for day in weekdays:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{DAY_CODES[run[0]]}-{DAY_CODES[run[-1]]}")
        else:
            parts.extend(DAY_CODES[day] for day in run)
    return ",".join(parts)


class DayError(NamedTuple):
    """A day's mistake, and the input of the day to correct ("state", "opens_2"…): the error summary leads there."""

    message: str
    input: str


def _day_ranges(weekday, day, errors):
    """The day's ranges in minutes [(opens, closes)], appending DayErrors to `errors`."""
    name = capfirst(hours.day_name(weekday))
    ranges = []
    for number, (opens_text, closes_text) in enumerate(day["ranges"], start=1):
        opens_text, closes_text = (opens_text or "").strip(), (closes_text or "").strip()
        if not opens_text and not closes_text:
            continue
        where = {"day": name, "number": number}
        if not opens_text or not closes_text:
            message = gettext("%(day)s, range %(number)s: enter both the opening and the closing time.") % where
            errors.append(DayError(message, f"{'closes' if opens_text else 'opens'}_{number}"))
            continue
        opens, closes = _parse_time(opens_text), _parse_time(closes_text)
        if opens is None or closes is None:
            bad = opens_text if opens is None else closes_text
            message = gettext("%(day)s, range %(number)s: “%(time)s” is not a time.") % {**where, "time": bad}
            errors.append(DayError(message, f"{'opens' if opens is None else 'closes'}_{number}"))
            continue
        if closes == opens and opens != 0:
            # opening-hours-py would read "12:30-12:30" as 24 hours; 00:00 – 00:00 is the whole day (said above).
            message = gettext("%(day)s, range %(number)s: it opens and closes at %(time)s. Enter the closing time.")
            errors.append(DayError(message % {**where, "time": opens_text}, f"closes_{number}"))
            continue
        if closes == 0:  # closing at 00:00 is closing at midnight, the end of the day
            closes = hours.DAY_MINUTES
        if closes <= opens:
            message = (
                gettext("%(day)s, range %(number)s: the closing time must be after the opening time.") % where
                + " "
                + gettext("To stay open past midnight, add a range on the following day.")
            )
            errors.append(DayError(message, f"closes_{number}"))
            continue
        ranges.append((number, opens, closes))
    ranges.sort(key=lambda r: r[1])
    for (first, _opens, closes), (second, opens, _closes) in zip(ranges, ranges[1:], strict=False):
        if opens < closes:
            numbers = sorted((first, second))
            message = gettext("%(day)s: ranges %(first)s and %(second)s overlap.")
            # The range that opens inside the other is the one to move.
            errors.append(
                DayError(message % {"day": name, "first": numbers[0], "second": numbers[1]}, f"opens_{second}")
            )
    if day["state"] == CLOSED and ranges:
        message = gettext("%(day)s: hours are given for a closed day. Choose “open” or clear them.") % {"day": name}
        errors.append(DayError(message, "state"))
    if day["state"] == OPEN and not ranges and not any(any(r) for r in day["ranges"]):
        message = gettext("%(day)s: enter at least one time range (00:00–00:00 for the whole day).")
        errors.append(DayError(message % {"day": name}, "opens_1"))
    return [(opens, closes) for _number, opens, closes in ranges]


def day_errors(value):
    """{weekday: [DayError]} of the days of a per-day value that need correcting."""
    if value.get("mode") == ADVANCED:
        return {}
    found = {}
    for weekday, day in enumerate(value["days"]):
        errors = []
        _day_ranges(weekday, day, errors)
        if errors:
            found[weekday] = errors
    return found


def compress(value):
    """(opening_hours string, [error messages]) of a per-day value."""
    if value.get("mode") == ADVANCED:
        return (value.get("advanced") or "").strip(), []
    days_errors, rules = [], {}
    for weekday, day in enumerate(value["days"]):
        ranges = _day_ranges(weekday, day, days_errors)
        if day["state"] == CLOSED:
            continue
        if day["state"] == APPOINTMENT and ranges == [(0, hours.DAY_MINUTES)]:
            ranges = []
        rules.setdefault((day["state"], tuple(ranges)), []).append(weekday)
    when = value.get("calendar") or calendar.empty()
    errors = [error.message for error in days_errors] + list(value.get("calendar_errors") or [])
    if not errors and rules == {} and not calendar.is_empty(when):
        errors.append(
            gettext("Weeks, season or dates are chosen but no day is open: enter the hours of the open days.")
        )
    if errors:
        return "", errors
    parts = []
    before = calendar.prefix(when)
    for (state, ranges), weekdays in rules.items():
        times = ",".join(f"{_osm_time(opens)}-{_osm_time(closes)}" for opens, closes in ranges)
        if when["weeks"]:
            days = calendar.days_with_weeks([DAY_CODES[day] for day in weekdays], when["weeks"])
        elif before and len(weekdays) == len(DAY_CODES):
            days = ""  # "2026 Dec 12-14 10:00-19:00": every day of the dates
        else:
            days = _days_spec(weekdays)
        selector = " ".join(part for part in (before.strip(), days, times) if part)
        if state == OPEN:
            parts.append(selector)
        else:
            parts.append(f'{selector} unknown "{hours.APPOINTMENT_COMMENT}"')
    if parts and value.get("ph_off"):
        parts.append("PH off")
    return "; ".join(parts), []
