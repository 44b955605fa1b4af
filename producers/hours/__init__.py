"""Opening hours (OpenStreetMap opening_hours syntax), the one public face of the hours engine.

- syntax: parsing, validation, public holidays, what a range means (open, by appointment, unknown);
- schedule: the weekly schedule an expression evaluates to on reference dates (never read from its text);
- describe: the hours in words, in the active language;
- status: open now, with the label the cards, the map and the page show;
- calendar: some weeks of the month, a season or dates in front of a weekly schedule (markets, fairs);
- occurrences: the dated openings of an expression, within another (a producer's days at a market);
- slots: the dated open ranges of the coming weeks, what the SQL "open now" filter reads.

Callers import from here (`from producers import hours`), never from the modules.
"""

from . import calendar
from .describe import (
    HoursRow,
    day_name,
    days_label,
    describe,
    describe_lines,
    format_range,
    format_time,
    hours_label,
)
from .occurrences import next_openings, open_days, openings
from .schedule import (
    HOLIDAY_BY_WEEKDAY,
    ORDINARY_WEEK,
    SAMPLE_WEEKS,
    Segment,
    WeeklySchedule,
    day_segments,
    reference_schedule,
    weekly_schedule,
)
from .slots import Slot, dated_slots
from .status import OpeningStatus, attach_statuses, status
from .syntax import (
    APPOINTMENT,
    APPOINTMENT_COMMENT,
    APPOINTMENT_RE,
    COUNTRY,
    DAY_MINUTES,
    INVALID_MESSAGE,
    OPEN,
    PARIS,
    UNKNOWN,
    days_split_by_a_space,
    is_public_holiday,
    join_split_days,
    kind,
    overridden_days,
    overridden_days_notices,
    parse,
    validate_opening_hours,
    zero_length_ranges,
)

__all__ = [
    "APPOINTMENT",
    "APPOINTMENT_COMMENT",
    "APPOINTMENT_RE",
    "COUNTRY",
    "DAY_MINUTES",
    "HOLIDAY_BY_WEEKDAY",
    "INVALID_MESSAGE",
    "OPEN",
    "ORDINARY_WEEK",
    "PARIS",
    "SAMPLE_WEEKS",
    "UNKNOWN",
    "HoursRow",
    "OpeningStatus",
    "Segment",
    "Slot",
    "WeeklySchedule",
    "attach_statuses",
    "calendar",
    "day_name",
    "dated_slots",
    "day_segments",
    "days_label",
    "days_split_by_a_space",
    "describe",
    "describe_lines",
    "format_range",
    "format_time",
    "hours_label",
    "is_public_holiday",
    "join_split_days",
    "kind",
    "next_openings",
    "open_days",
    "openings",
    "overridden_days",
    "overridden_days_notices",
    "parse",
    "reference_schedule",
    "status",
    "validate_opening_hours",
    "weekly_schedule",
    "zero_length_ranges",
]
