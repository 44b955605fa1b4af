"""Reading an opening_hours expression: parsing, validation, public holidays, what a range means to a shopper.

opening-hours-py does the parsing and evaluation, French public holidays (`PH`) included.
"""

import datetime
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from opening_hours import OpeningHours, State, validate

PARIS = ZoneInfo("Europe/Paris")
COUNTRY = "FR"
DAY_MINUTES = 24 * 60

OPEN, APPOINTMENT, UNKNOWN = "open", "appointment", "unknown"

# The comment the per-day form writes for a day "by appointment" (data in the expression, not a UI string, so
# it stays French whatever the page's language); the pattern also recognises what people type.
APPOINTMENT_COMMENT = "sur rendez-vous"
APPOINTMENT_RE = re.compile(r"rendez[- ]?vous|\brdv\b|appointment|sur demande|on request", re.IGNORECASE)

INVALID_MESSAGE = _(
    "These opening hours are not in the OpenStreetMap syntax (for example “Mo-Fr 09:00-12:00,14:00-18:30; "
    "Sa 09:00-12:00; PH off”)."
)


@lru_cache(maxsize=1024)
def parse(expression):
    """The evaluated expression, or None when blank or invalid."""
    expression = (expression or "").strip()
    if not expression or not validate(expression):
        return None
    try:
        return OpeningHours(expression, timezone=PARIS, country=COUNTRY)
    except (SyntaxError, ValueError):
        return None


def validate_opening_hours(value):
    """Django validator: blank, or a valid OpenStreetMap opening_hours expression."""
    if value and value.strip() and parse(value) is None:
        raise ValidationError(INVALID_MESSAGE, code="invalid_opening_hours")


_HOLIDAYS = OpeningHours("PH", timezone=PARIS, country=COUNTRY)


@lru_cache(maxsize=4096)
def is_public_holiday(day):
    """Whether `day` (a date) is a French public holiday."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    return _HOLIDAYS.is_open(datetime.datetime(day.year, day.month, day.day, 12, tzinfo=PARIS))


def kind(state, comment):
    """OPEN, APPOINTMENT, UNKNOWN, or None when closed: what an evaluated range means to a shopper."""
    if state == State.CLOSED:
        return None
    # A range "by appointment" is not open to walk-in customers, whatever the evaluator says about it.
    if comment and APPOINTMENT_RE.search(comment):
        return APPOINTMENT
    return OPEN if state == State.OPEN else UNKNOWN
