"""A per-day opening hours input, so that nobody has to learn the OpenStreetMap syntax.

The form field takes and gives an opening_hours string. The widget shows, for each day, a state (closed,
open, by appointment) and up to three time ranges, plus "closed on public holidays". An expression that the
per-day form cannot hold (seasons, comments, different holiday hours…) is shown raw in an "advanced" text
input and kept as it is unless the person edits it.

A day's mistakes are shown inside that day (the field's own error only names the days), so that
static/js/opening-hours.js can fold a closed day with its messages; the script also hides empty ranges behind
an "add a range" button and copies a day's hours to others. Without JavaScript every range shows.
"""

from .week import (
    ADVANCED,
    APPOINTMENT,
    CLOSED,
    DAY_CODES,
    OPEN,
    RANGES_PER_DAY,
    SIMPLE,
    STATE_CHOICES,
    compress,
    day_errors,
    decompress,
    empty_value,
)
from .widget import OpeningHoursField, OpeningHoursWidget

__all__ = [
    "ADVANCED",
    "APPOINTMENT",
    "CLOSED",
    "DAY_CODES",
    "OPEN",
    "RANGES_PER_DAY",
    "SIMPLE",
    "STATE_CHOICES",
    "OpeningHoursField",
    "OpeningHoursWidget",
    "compress",
    "day_errors",
    "decompress",
    "empty_value",
]
