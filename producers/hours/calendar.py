"""The calendar of an expression: some weeks of the month ("Sa[1,3]"), a season ("Apr-Oct") or the dates of a
one-off event ("2026 Dec 12-14"), in front of every rule of a weekly schedule.

What markets and fairs need beyond a week: the per-day form (producers.forms.hours) writes and reads it back, and
the hours in words (describe) say it. A calendar holds `weeks` ([1, 3], -1 for the last), `season` ((first month,
last month) or None) and `dates` ((first day, last day) or None); season and dates do not go together.
"""

import datetime
import re

from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext, pgettext, pgettext_lazy

WEEK_CHOICES = [
    (1, pgettext_lazy("week of the month", "1st")),
    (2, pgettext_lazy("week of the month", "2nd")),
    (3, pgettext_lazy("week of the month", "3rd")),
    (4, pgettext_lazy("week of the month", "4th")),
    (5, pgettext_lazy("week of the month", "5th")),
    (-1, pgettext_lazy("week of the month", "last")),
]
DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTH_CODES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_DATES_RE = re.compile(
    rf"^(?P<y1>\d{{4}}) (?P<m1>{_MONTH}) (?P<d1>\d{{1,2}})"
    rf"(?:-(?:(?P<y2>\d{{4}}) )?(?:(?P<m2>{_MONTH}) )?(?P<d2>\d{{1,2}}))?(?:\s+(?P<rest>.*))?$"
)
_SEASON_RE = re.compile(rf"^(?P<m1>{_MONTH})(?:-(?P<m2>{_MONTH}))?(?:\s+(?P<rest>.*))?$")
_NTH_RE = re.compile(r"\b(Mo|Tu|We|Th|Fr|Sa|Su)\[([-\d,]+)\]")


def empty():
    return {"weeks": [], "season": None, "dates": None}


def is_empty(calendar):
    return not calendar["weeks"] and not calendar["season"] and not calendar["dates"]


def prefix(calendar):
    """What goes before every rule: "2026 Dec 12-14 ", "Apr-Oct " or ""."""
    if calendar["dates"]:
        first, last = calendar["dates"]
        text = f"{first.year} {MONTH_CODES[first.month - 1]} {first.day}"
        if last != first:
            if last.year != first.year:
                text += f"-{last.year} {MONTH_CODES[last.month - 1]} {last.day}"
            elif last.month != first.month:
                text += f"-{MONTH_CODES[last.month - 1]} {last.day}"
            else:
                text += f"-{last.day}"
        return text + " "
    if calendar["season"]:
        first, last = calendar["season"]
        return (MONTH_CODES[first - 1] if first == last else f"{MONTH_CODES[first - 1]}-{MONTH_CODES[last - 1]}") + " "
    return ""


def days_with_weeks(day_codes, weeks):
    """ "We[1,3],Sa[1,3]": every day code with the weeks of the month (the syntax takes them day by day)."""
    nth = ",".join(str(week) for week in sorted(weeks, key=lambda w: (w < 0, w)))
    return ",".join(f"{code}[{nth}]" for code in day_codes)


def split(expression):
    """(calendar, the same rules without it) when every rule of `expression` has the same calendar; None when the
    expression has none, or one the form cannot hold (different ones per rule, other selectors)."""
    rules = [rule.strip() for rule in expression.split(";") if rule.strip()]
    holidays = [rule for rule in rules if rule in ("PH off", "PH closed")]
    rules = [rule for rule in rules if rule not in holidays]
    if not rules:
        return None
    found, plain = None, []
    for rule in rules:
        calendar, rest = empty(), rule
        match = _DATES_RE.match(rule)
        if match:
            try:
                first = _date(match["y1"], match["m1"], match["d1"])
                last = _date(match["y2"] or match["y1"], match["m2"] or match["m1"], match["d2"] or match["d1"])
            except ValueError:
                return None
            calendar["dates"], rest = (first, last), match["rest"] or ""
        else:
            match = _SEASON_RE.match(rule)
            if match:
                calendar["season"] = (_month(match["m1"]), _month(match["m2"] or match["m1"]))
                rest = match["rest"] or ""
        weeks = {tuple(sorted(nth.split(","))) for _code, nth in _NTH_RE.findall(rest)}
        if len(weeks) > 1:
            return None
        if weeks:
            try:
                calendar["weeks"] = sorted((int(w) for w in weeks.pop()), key=lambda w: (w < 0, w))
            except ValueError:
                return None
            rest = _NTH_RE.sub(r"\1", rest)
        if found is not None and calendar != found:
            return None
        found = calendar
        if rest:
            plain.append(rest)
    if found is None or is_empty(found):
        return None
    return found, "; ".join(plain + holidays)


def _month(code):
    return MONTH_CODES.index(code) + 1


def _date(year, month, day):
    return datetime.date(int(year), _month(month), int(day))


def weeks_label(weeks):
    """'1st and 3rd' ('1er et 3e' in French)."""
    labels = dict(WEEK_CHOICES)
    names = [str(labels[week]) for week in weeks if week in labels]
    return get_text_list(names, gettext("and")) if len(names) > 1 else "".join(names)


def season_label(season):
    """'April to October' ('avril à octobre'), 'December'."""
    first, last = season
    if first == last:
        return str(MONTHS[first])
    return pgettext("months", "%(first)s to %(last)s") % {"first": MONTHS[first], "last": MONTHS[last]}


def dates_label(dates):
    """'12 to 14 December 2026' ('du 12 au 14 décembre 2026'), '3 March 2027'."""
    first, last = dates
    if first == last:
        return date_format(first, "j F Y")
    if first.year != last.year:
        start = date_format(first, "j F Y")
    elif first.month != last.month:
        start = date_format(first, "j F")
    else:
        start = str(first.day)
    return pgettext("dates", "%(first)s to %(last)s") % {"first": start, "last": date_format(last, "j F Y")}
