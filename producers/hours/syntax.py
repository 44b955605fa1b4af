"""Reading an opening_hours expression: parsing, validation, public holidays, what a range means to a shopper.

opening-hours-py does the parsing and evaluation, French public holidays (`PH`) included.
"""

import datetime
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
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
    """Django validator: blank, or a valid OpenStreetMap opening_hours expression without a zero-length range."""
    if value and value.strip() and parse(value) is None:
        raise ValidationError(INVALID_MESSAGE, code="invalid_opening_hours")
    empty = zero_length_ranges(value)
    if empty:
        raise ValidationError(
            _("“%(range)s” opens and closes at the same time: write the closing time (for a whole day, 00:00-24:00)."),
            code="zero_length_range",
            params={"range": empty[0]},
        )
    split = days_split_by_a_space(value)
    if split:
        written, first, joined = split
        message = (
            _(
                "In “%(written)s”, “%(first)s” reads as open all day: write the days without a space after the "
                "comma (“%(joined)s”)."
            )
            if joined
            else _("In “%(written)s”, “%(first)s” reads as open all day: give its hours (00:00-24:00 for a whole day).")
        )
        raise ValidationError(
            message,
            code="days_split_by_a_space",
            params={"written": written, "first": first, "joined": joined},
        )


_COMMENT_RE = re.compile(r'"[^"]*"')
_RANGE_RE = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})(?![\d:+])")


def zero_length_ranges(expression):
    """The ranges of `expression` that open and close at the same time ("12:30-12:30").

    opening-hours-py reads them as 24 hours (until the same time the next day), which nobody means.
    """
    text = _COMMENT_RE.sub("", expression or "")
    return [
        match[0]
        for match in _RANGE_RE.finditer(text)
        if int(match[1]) * 60 + int(match[2]) == int(match[3]) * 60 + int(match[4])
    ]


DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
# What gives a part of a rule its hours or its state; a part with none of these is open all day.
_HOURS_OR_STATE_RE = re.compile(
    r"\d{1,2}:\d{2}|24/7|\b(?:off|closed|open|unknown)\b|\b(?:sunrise|sunset|dawn|dusk)\b", re.IGNORECASE
)
# "Mo, We" and "Mo ,We" separate two rules; "Mo,We" is one list of days.
_ADDITIONAL_RE = re.compile(r"\s*,\s+|\s+,\s*")
_ALTERNATIVES_RE = re.compile(r";|\|\|")


def days_split_by_a_space(expression):
    """(written, first, suggestion) for a rule that holds a selector without hours before or after ", ", else None.

    With a space around the comma, opening-hours-py reads additional rules: "Mo, We 10:00-12:00" is "Mo" open all
    day, then "We 10:00-12:00"; "Mo-Sa 09:00-19:00; Su, PH off" opens all Sunday. Nobody listing days means that.
    The suggestion, when there is one, writes the same days without the space ("Mo,We 10:00-12:00").
    """
    found = _split_days(expression)
    return found and found[1:]


def _split_days(expression):
    """(where, written, first, suggestion): days_split_by_a_space's answer and the rule's start in `expression`."""
    text = expression or ""
    masked = _COMMENT_RE.sub(lambda match: "_" * len(match[0]), text)  # same positions, no separator inside
    bounds = [0, *(i for match in _ALTERNATIVES_RE.finditer(masked) for i in match.span()), len(text)]
    for a, b in zip(bounds[::2], bounds[1::2], strict=True):
        rule, rule_masked = text[a:b].strip(), masked[a:b].strip()
        cuts = [0, *(i for match in _ADDITIONAL_RE.finditer(rule_masked) for i in match.span()), len(rule)]
        if len(cuts) == 2:
            continue  # a single part: "Mo-Sa" alone is plainly all day
        parts = [(rule[x:y], rule_masked[x:y]) for x, y in zip(cuts[::2], cuts[1::2], strict=True)]
        for index, (part, part_masked) in enumerate(parts):
            if _HOURS_OR_STATE_RE.search(part_masked) or "_" in part_masked:
                continue
            run = [part]
            for following, _masked in parts[index + 1 :]:
                run.append(following)
                if _HOURS_OR_STATE_RE.search(_masked) or "_" in _masked:
                    break
            joined = ",".join(run)
            suggestion = joined if len(run) > 1 and validate(joined) else None
            if suggestion and len(run) < len(parts):  # the rule's other parts, with the suggestion in place
                before = [p for p, _m in parts[:index]]
                after = [p for p, _m in parts[index + len(run) :]]
                suggestion = ", ".join([*before, suggestion, *after])
            where = a + len(text[a:b]) - len(text[a:b].lstrip())
            return where, rule, part, suggestion
    return None


def join_split_days(expression):
    """`expression` with the days of every rule split by a space joined ("Mo, We 10:00-12:00; Sa, Su 09:00-12:00"
    gives "Mo,We 10:00-12:00; Sa,Su 09:00-12:00"), as the form's message suggests; `expression` itself when no
    rule is split, None when a split part has nothing to join ("Mo, 10:00-12:00" needs its hours from a person).
    Only the rule is rewritten, at its place: the same text in a comment stays as the producer wrote it.

    Not the same meaning as what is stored (opening-hours-py reads the first days open all day): what the producer
    meant, to be applied by a volunteer who decides it (the listing admin's action), never silently.
    """
    text = expression or ""
    for _attempt in range(text.count(",") + 1):
        split = _split_days(text)
        if split is None:
            return text
        where, written, _first, joined = split
        if not joined:
            return None
        text = text[:where] + joined + text[where + len(written) :]
    return None


_WEEKDAYS_RE = re.compile(rf"^({_DAY}(?:\s*-\s*{_DAY})?(?:\s*,\s*{_DAY}(?:\s*-\s*{_DAY})?)*)(?=\s|$)")
_TIME_FIRST_RE = re.compile(r"^(\d{1,2}:\d{2}|24/7|off\b|closed\b|open\b|unknown\b|\")")


_CLOSING_RE = re.compile(r"\b(off|closed)\s*$")


def _rules(expression):
    """The rules of `expression` separated by ";" (outside comments), up to a fallback ("||")."""
    expression = expression or ""
    masked = _COMMENT_RE.sub(lambda match: "_" * len(match[0]), expression)  # same positions, no ";" inside
    end = masked.find("||")
    if end >= 0:
        expression, masked = expression[:end], masked[:end]
    rules, start = [], 0
    for index, char in enumerate(masked + ";"):
        if char == ";":
            rules.append(expression[start:index].strip())
            start = index + 1
    return [rule for rule in rules if rule]


def _weekdays_of(rule):
    """The weekdays a plain rule names (all seven for "09:00-18:00" or "24/7"); None for a rule with months,
    weeks, holidays or "Sa[1]", which are meant to replace the ordinary rules on their dates."""
    match = _WEEKDAYS_RE.match(rule)
    if match:
        days = set()
        for part in re.split(r"\s*,\s*", match[1]):
            first, _dash, last = (code.strip() for code in part.partition("-"))
            a, b = DAY_CODES.index(first), DAY_CODES.index(last or first)
            days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
        return days
    if _TIME_FIRST_RE.match(rule):
        return set(range(7))
    return None


def overridden_days(expression):
    """[(weekdays, earlier rule, later rule)]: days named by two plain rules, where the later one wins.

    "Mo-Fr 09:00-18:00; We 10:00-12:00" is open 10:00-12:00 only on Wednesday, which people often did not mean.
    Additional rules ("Mo-Fr 09:00-12:00, We 14:00-18:00") add to each other, and a later rule closing days
    ("; Su off") is plainly meant: neither is listed.
    """
    rules = [(rule, _weekdays_of(rule.split(", ")[0])) for rule in _rules(expression)]
    found = {}
    for index, (later, later_days) in enumerate(rules):
        if _CLOSING_RE.search(_COMMENT_RE.sub("", later)):
            continue  # "Mo-Sa 09:00-18:00; We off" closes Wednesday on purpose
        for earlier, earlier_days in rules[:index]:
            if later_days and earlier_days and later_days & earlier_days:
                found.setdefault((earlier, later), set()).update(later_days & earlier_days)
    return [(sorted(days), earlier, later) for (earlier, later), days in found.items()]


def overridden_days_notices(expression):
    """overridden_days() as sentences, in the active language (the hours form shows them, without refusing)."""
    from .describe import days_label

    notices = []
    for weekdays, earlier, later in overridden_days(expression):
        notices.append(
            ngettext(
                "%(days)s is in two rules, “%(earlier)s” and “%(later)s”: the later one wins on that day. To add "
                "hours to a day, write them in the same rule.",
                "%(days)s are in two rules, “%(earlier)s” and “%(later)s”: the later one wins on those days. To "
                "add hours to a day, write them in the same rule.",
                len(weekdays),
            )
            % {"days": days_label(weekdays)[:1].upper() + days_label(weekdays)[1:], "earlier": earlier, "later": later}
        )
    return notices


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
