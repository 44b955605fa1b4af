"""The widget that shows the per-day form and reads it back, and the form field that takes and gives an opening_hours
string."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext

from producers import hours

from . import calendar as calendar_form
from .week import (
    ADVANCED,
    CLOSED,
    DAY_CODES,
    RANGES_PER_DAY,
    STATE_CHOICES,
    _normal,
    compress,
    day_errors,
    decompress,
    empty_value,
)

calendar = hours.calendar


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
