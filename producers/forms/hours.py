"""A per-day opening hours input, so that nobody has to learn the OpenStreetMap syntax.

The form field takes and gives an opening_hours string. The widget shows, for each day, a state (closed,
open, by appointment) and up to three time ranges, plus "closed on public holidays". An expression that the
per-day form cannot hold (seasons, comments, different holiday hours…) is shown raw in an "advanced" text
input and kept as it is unless the person edits it.

A day's mistakes are shown inside that day (the field's own error only names the days), so that
static/js/opening-hours.js can fold a closed day with its messages; the script also hides empty ranges behind
an "add a range" button and copies a day's hours to others. Without JavaScript every range shows.
"""

import datetime
import re
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from producers import hours

from . import hours_calendar as calendar_form

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
        # Some weeks of the month, a season or dates (producers.forms.hours_calendar): markets and fairs.
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


class OpeningHoursWidget(forms.Widget):
    template_name = "producers/widgets/opening_hours.html"
    use_fieldset = True

    def format_value(self, value):
        if isinstance(value, dict):
            # Posted back: the days' mistakes are shown beside them.
            typed = value.get("advanced", "") if value.get("mode") == ADVANCED else ""
            return {**value, "errors": day_errors(value), "notices": hours.overridden_days_notices(typed)}
        # A day named by two rules shows the later rule's hours: say so, without refusing the form.
        notices = hours.overridden_days_notices(value or "")
        try:
            hours.validate_opening_hours(value or "")
        except ValidationError as error:
            # Stored before the rules refused it ("Mo, We 10:00-12:00"): why saving will ask for a correction.
            notices = [*error.messages, *notices]
        return {**decompress(value), "notices": notices}

    def value_from_datadict(self, data, files, name):
        mode = data.get(f"{name}_mode")
        if mode is None:
            # Not posted by this widget (an API client, a test): take a raw expression.
            return data.get(name)
        if mode == ADVANCED:
            return {**empty_value(), "mode": ADVANCED, "advanced": data.get(f"{name}_advanced", "")}
        value = empty_value()
        for code, day in zip(DAY_CODES, value["days"], strict=True):
            prefix = f"{name}_{code.lower()}"
            day["state"] = data.get(f"{prefix}_state", CLOSED)
            if day["state"] not in dict(STATE_CHOICES):
                day["state"] = CLOSED
            day["ranges"] = [
                (data.get(f"{prefix}_opens_{n}", ""), data.get(f"{prefix}_closes_{n}", ""))
                for n in range(1, RANGES_PER_DAY + 1)
            ]
        # "1" from the radio buttons, "on" from the former checkbox (a form open during an upgrade).
        value["ph_off"] = data.get(f"{name}_ph_off") in ("on", "1", "true", "True")
        value["calendar"], value["calendar_raw"], value["calendar_errors"] = calendar_form.from_data(data, name)
        return value

    def value_omitted_from_data(self, data, files, name):
        return f"{name}_mode" not in data and name not in data

    def id_for_label(self, id_):
        # The field is a <fieldset> with a <legend>; each input has its own <label>.
        return ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        value = context["widget"]["value"]
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        errors = value.get("errors") or {}
        days = []
        for weekday, (code, day) in enumerate(zip(DAY_CODES, value["days"], strict=True)):
            prefix, id_prefix = f"{name}_{code.lower()}", f"{base_id}_{code.lower()}"
            day_name = capfirst(hours.day_name(weekday))
            ranges = []
            for n, (opens, closes) in enumerate(day["ranges"], start=1):
                ranges.append(
                    {
                        "number": n,
                        "opens": {
                            "name": f"{prefix}_opens_{n}",
                            "id": f"{id_prefix}_opens_{n}",
                            "value": opens,
                            "label": gettext("opens %(number)s") % {"number": n},
                        },
                        "closes": {
                            "name": f"{prefix}_closes_{n}",
                            "id": f"{id_prefix}_closes_{n}",
                            "value": closes,
                            "label": gettext("closes %(number)s") % {"number": n},
                        },
                    }
                )
            days.append(
                {
                    "name": day_name,
                    # In a sentence: "lundi" in French, "Monday" in English.
                    "in_sentence": hours.day_name(weekday),
                    "next": hours.day_name(weekday + 1) if weekday + 1 < len(DAY_CODES) else "",
                    "errors": [error.message for error in errors.get(weekday, [])],
                    "error_id": f"{id_prefix}_error",
                    "state": {
                        "name": f"{prefix}_state",
                        "id": f"{id_prefix}_state",
                        "value": day["state"],
                        "label": pgettext("state of a day", "status"),
                        "choices": [(key, str(label)) for key, label in STATE_CHOICES],
                    },
                    "ranges": ranges,
                }
            )
        raw = value.get("calendar_raw") or calendar_form.to_raw(calendar.empty())
        context["widget"].update(
            {
                "calendar": {
                    "open": any(raw[key] for key in raw) or bool(value.get("calendar_errors")),
                    "errors": value.get("calendar_errors") or [],
                    "error_id": f"{base_id}_calendar_error",
                    "weeks": [
                        {
                            "name": f"{name}_weeks",
                            "id": f"{base_id}_weeks_{str(week).replace('-', 'last')}",
                            "value": str(week),
                            "label": label,
                            "checked": str(week) in raw["weeks"],
                        }
                        for week, label in calendar_form.WEEK_CHOICES
                    ],
                    "months": [(str(number), month) for number, month in calendar_form.month_choices()],
                    "season_from": {
                        "name": f"{name}_season_from",
                        "id": f"{base_id}_season_from",
                        "value": raw["season_from"],
                    },
                    "season_to": {"name": f"{name}_season_to", "id": f"{base_id}_season_to", "value": raw["season_to"]},
                    "first_date": {
                        "name": f"{name}_first_date",
                        "id": f"{base_id}_first_date",
                        "value": raw["first_date"],
                    },
                    "last_date": {"name": f"{name}_last_date", "id": f"{base_id}_last_date", "value": raw["last_date"]},
                },
                "mode": value["mode"],
                "notices": value.get("notices", []),
                "days": days,
                "ph_off": {"name": f"{name}_ph_off", "id": f"{base_id}_ph_off", "checked": value["ph_off"]},
                "advanced": {"name": f"{name}_advanced", "id": f"{base_id}_advanced", "value": value["advanced"]},
            }
        )
        return context


class OpeningHoursField(forms.Field):
    """Opening hours entered day by day; cleans to an OpenStreetMap opening_hours string ("" when none)."""

    widget = OpeningHoursWidget
    default_validators = [hours.validate_opening_hours]

    def to_python(self, value):
        if value in self.empty_values:
            return ""
        if isinstance(value, str):
            return value.strip()
        expression, errors = compress(value)
        if errors and not day_errors(value):
            # Weeks, season or dates: their messages show in their own part of the widget too.
            raise ValidationError(errors, code="invalid_opening_hours")
        if errors:
            # The messages themselves are shown inside each day by the widget.
            days = ", ".join(hours.day_name(weekday) for weekday in day_errors(value))
            raise ValidationError(
                gettext("Opening hours to correct: %(days)s (see the message under each day).") % {"days": days},
                code="invalid_opening_hours",
            )
        return expression

    def error_summary(self, bound_field):
        """[(input id, message)] of each wrong day for a form's error summary (localdir.forms.ErrorSummaryMixin),
        leading to the input to correct rather than to the top of the week; None when the hours are wrong as a
        whole (the advanced syntax, weeks, season or dates)."""
        value = bound_field.data
        if not isinstance(value, dict) or not bound_field.auto_id:
            return None
        found = day_errors(value)
        return [
            (f"{bound_field.auto_id}_{DAY_CODES[weekday].lower()}_{error.input}", error.message)
            for weekday, errors in found.items()
            for error in errors
        ] or None

    def has_changed(self, initial, data):
        try:
            data = self.to_python(data)
        except ValidationError:
            return True
        initial = (initial or "").strip()
        if initial == data:
            return False
        # "Mo-Fr" written back from "Mo,Tu,We,Th,Fr" is no change, nor "PH closed" for "PH off".
        schedule = hours.weekly_schedule(data)
        if schedule is None:
            return _normal(data) is None or _normal(data) != _normal(initial)
        return schedule != hours.weekly_schedule(initial)
