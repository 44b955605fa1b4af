"""Opening hours (OpenStreetMap opening_hours syntax): validation, weekly schedule, French rendering, open now.

opening-hours-py does the parsing and evaluation, French public holidays (`PH`) included. Everything here
reads an expression through what it *evaluates to* on reference dates, never through its text: that is what
lets the SQL "open now" filter, the listing page and the per-day form agree with each other.

User-facing strings are written in French first (the directory's language) and wrapped for translation.
"""

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _
from opening_hours import OpeningHours, State, validate

PARIS = ZoneInfo("Europe/Paris")
COUNTRY = "FR"
DAY_MINUTES = 24 * 60

OPEN, APPOINTMENT, UNKNOWN = "open", "appointment", "unknown"

# The comment the per-day form writes for a day "by appointment"; the pattern also recognises what people type.
APPOINTMENT_COMMENT = "sur rendez-vous"
APPOINTMENT_RE = re.compile(r"rendez[- ]?vous|\brdv\b|appointment|sur demande|on request", re.IGNORECASE)

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

INVALID_MESSAGE = _(
    "Ces horaires ne sont pas dans la syntaxe OpenStreetMap (par exemple « Mo-Fr 09:00-12:00,14:00-18:30; "
    "Sa 09:00-12:00; PH off »)."
)


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


@dataclass(frozen=True)
class OpeningStatus:
    is_open: bool | None  # None: no hours, or the state is unknown (e.g. by appointment)
    label: str
    changes_at: datetime.datetime | None = None  # next opening or closing, in Europe/Paris
    comment: str = ""

    def __bool__(self):
        return bool(self.is_open)


# --- Parsing and validation ---------------------------------------------------------------------------------


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


# --- Weekly schedule ----------------------------------------------------------------------------------------


def _kind(state, comment):
    if state == State.CLOSED:
        return None
    # A range "by appointment" is not open to walk-in customers, whatever the evaluator says about it.
    if comment and APPOINTMENT_RE.search(comment):
        return APPOINTMENT
    return OPEN if state == State.OPEN else UNKNOWN


def _minutes(moment, midnight):
    return int((moment.replace(tzinfo=None) - midnight).total_seconds() // 60)


def _day_segments(oh, day):
    """The non-closed ranges of `day`, in local minutes; adjacent ranges of the same kind are merged."""
    midnight = datetime.datetime(day.year, day.month, day.day)
    start = midnight.replace(tzinfo=PARIS)
    end = (midnight + datetime.timedelta(days=1)).replace(tzinfo=PARIS)
    segments = []
    for opens_at, closes_at, state, comment in oh.intervals(start, end):
        kind = _kind(state, comment)
        if kind is None:
            continue
        opens = max(0, _minutes(opens_at, midnight))
        closes = min(DAY_MINUTES, _minutes(closes_at, midnight))
        if opens >= closes:
            continue
        if segments and segments[-1].closes == opens and segments[-1][2:] == (kind, comment):
            segments[-1] = segments[-1]._replace(closes=closes)
        else:
            segments.append(Segment(opens, closes, kind, comment))
    return tuple(segments)


def _week(oh, monday):
    return tuple(_day_segments(oh, monday + datetime.timedelta(days=d)) for d in range(7))


@lru_cache(maxsize=1024)
def _analyse(expression):
    """(reference WeeklySchedule, whether the expression is the same every week) or None when blank/invalid."""
    oh = parse(expression)
    if oh is None:
        return None
    days = _week(oh, ORDINARY_WEEK)
    holidays = tuple(_day_segments(oh, day) for day in HOLIDAY_BY_WEEKDAY)
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


def weekly_slots(expression):
    """[(weekday 0=Mon, public_holiday, opens_minute, closes_minute ≤ 1440)] of the open ranges, for the SQL filter.

    Taken from a reference ordinary week and from reference public holidays; a range crossing midnight
    shows up as two slots, one on each day. Ranges by appointment or of unknown state are not open.
    Seasonal expressions are reduced to their January week (see `weekly_schedule` to tell them apart).
    """
    schedule = reference_schedule(expression)
    if schedule is None:
        return []
    return [
        (weekday, public_holiday, segment.opens, segment.closes)
        for public_holiday, week in ((False, schedule.days), (True, schedule.holidays))
        for weekday, segments in enumerate(week)
        for segment in segments
        if segment.kind == OPEN
    ]


# --- Rendering ----------------------------------------------------------------------------------------------


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
    """Lower-case name of the day in the active language (lundi, mardi… from Django's own catalogue)."""
    name = str(WEEKDAYS[weekday])
    return name.lower() if _french() else name


def _and_list(items):
    items = [str(item) for item in items]
    # "and" is in Django's own catalogues ("et" in French), so lists read right in every language.
    return get_text_list(items, gettext("and")) if len(items) > 1 else (items[0] if items else "")


def days_label(weekdays):
    """'du lundi au vendredi', 'samedi', 'lundi, mercredi et vendredi', 'tous les jours'."""
    weekdays = sorted(weekdays)
    if len(weekdays) == 7:
        return gettext("tous les jours")
    runs, parts = [], []
    for day in weekdays:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    for run in runs:
        if len(run) >= 3:
            parts.append(gettext("du %(first)s au %(last)s") % {"first": day_name(run[0]), "last": day_name(run[-1])})
        else:
            parts.extend(day_name(day) for day in run)
    return _and_list(parts)


def _segment_label(segment):
    whole_day = segment.opens == 0 and segment.closes == DAY_MINUTES
    if segment.kind == APPOINTMENT:
        note = gettext("sur rendez-vous")
    elif segment.kind == UNKNOWN:
        note = segment.comment or gettext("horaires à confirmer")
    else:
        note = segment.comment
    if whole_day:
        return note or gettext("toute la journée")
    hours = format_range(segment.opens, segment.closes)
    return gettext("%(hours)s (%(note)s)") % {"hours": hours, "note": note} if note else hours


def hours_label(segments):
    """'9 h – 12 h et 14 h – 18 h 30', 'sur rendez-vous', 'fermé'."""
    if not segments:
        return gettext("fermé")
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


def describe(expression):
    """Rows (days label, hours label) for the listing page, in the active language.

    Days with identical hours are grouped; public holidays get their own row when they differ. An expression
    that is not a plain weekly schedule (seasons, months…) or is invalid comes back as one row holding it raw.
    """
    expression = (expression or "").strip()
    if not expression:
        return []
    schedule = weekly_schedule(expression)
    if schedule is None:
        return [HoursRow(gettext("horaires"), expression)]
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
        return [HoursRow(gettext("horaires"), expression)]
    if holiday_row:
        rows.append(holiday_row)
    return rows


def _holiday_row(schedule):
    """None when holidays are ordinary days, a row when they share one schedule, False otherwise."""
    if schedule.holidays == schedule.days:
        return None
    if len(set(schedule.holidays)) == 1:
        return HoursRow(gettext("jours fériés"), hours_label(schedule.holidays[0]))
    return False


def describe_lines(expression):
    """describe() as sentences: 'du lundi au vendredi : 9 h – 12 h', 'fermé les jours fériés'."""
    lines = []
    for row in describe(expression):
        if row == (gettext("jours fériés"), gettext("fermé")):
            lines.append(gettext("fermé les jours fériés"))
        else:
            lines.append(pgettext("opening hours row", "%(days)s : %(hours)s") % row._asdict())
    return lines


# --- Open now -----------------------------------------------------------------------------------------------


def _runs(oh, start, days=366):
    """(opens_at, closes_at, kind, comment) from `start`, lazily, merging adjacent intervals of the same kind.

    The last run is cut at `start + days`: an open run ending there has no known closing time.
    """
    run = None
    for opens_at, closes_at, state, comment in oh.intervals(start, start + datetime.timedelta(days=days)):
        kind = _kind(state, comment)
        if run and run[2] == kind:
            run = (run[0], closes_at, kind, run[3] or comment)
            continue
        if run:
            yield run
        run = (opens_at, closes_at, kind, comment)
    if run:
        yield run


def _when(moment, now):
    """('aujourd’hui' | 'demain' | 'mardi' | 'le 1 septembre', time) of `moment` seen from `now`."""
    delta = (moment.date() - now.date()).days
    time = format_time(moment.hour * 60 + moment.minute)
    if delta == 0:
        return "today", time
    if delta == 1:
        return "tomorrow", time
    if delta < 7:
        return day_name(moment.weekday()), time
    return date_format(moment.date(), "j F"), time


def status(expression, moment=None):
    """Whether the listing is open at `moment` (aware datetime, default now), with a label, in Europe/Paris."""
    oh = parse(expression)
    if oh is None:
        return OpeningStatus(None, "")
    now = timezone.localtime(moment or timezone.now(), PARIS)
    horizon = now + datetime.timedelta(days=366)
    runs = _runs(oh, now)
    opens_at, closes_at, kind, comment = next(runs)
    if kind == OPEN:
        if closes_at >= horizon:
            return OpeningStatus(True, gettext("Ouvert maintenant"), None, comment)
        day, time = _when(closes_at, now)
        if day == "today":
            label = gettext("Ouvert maintenant · ferme à %(time)s") % {"time": time}
        elif day == "tomorrow":
            label = gettext("Ouvert maintenant · ferme demain à %(time)s") % {"time": time}
        else:
            label = gettext("Ouvert maintenant")
        return OpeningStatus(True, label, closes_at, comment)
    if kind == APPOINTMENT:
        return OpeningStatus(None, gettext("Sur rendez-vous"), closes_at, comment)
    if kind == UNKNOWN:
        return OpeningStatus(None, comment or gettext("Horaires à confirmer"), closes_at, comment)
    by_appointment = False
    for run in runs:
        if run[2] == OPEN:
            break
        by_appointment = by_appointment or run[2] == APPOINTMENT
    else:
        return OpeningStatus(False, gettext("Fermé · sur rendez-vous") if by_appointment else gettext("Fermé"))
    opens_at = run[0]
    day, time = _when(opens_at, now)
    if day == "today":
        label = gettext("Ouvre aujourd’hui à %(time)s") % {"time": time}
    elif day == "tomorrow":
        label = gettext("Fermé · ouvre demain à %(time)s") % {"time": time}
    elif (opens_at.date() - now.date()).days < 7:
        label = gettext("Fermé · ouvre %(day)s à %(time)s") % {"day": day, "time": time}
    else:
        label = gettext("Fermé · ouvre le %(date)s à %(time)s") % {"date": day, "time": time}
    return OpeningStatus(False, label, opens_at)


def attach_statuses(listings, moment=None):
    """Set `hours_status` on each listing (what the listing cards show), all at the same moment; returns them."""
    moment = moment or timezone.now()
    for listing in listings:
        listing.hours_status = status(listing.opening_hours, moment)
    return listings
