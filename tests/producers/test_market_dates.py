"""A market's dates and the recurrence rules fitted to them: each checked against the hours engine's own days."""

import datetime

import pytest

from producers import hours
from producers.markets import fit_rules, occurrences, weekend
from producers.markets.dates import Occurrence
from producers.models.closures import Closure

MONDAY = datetime.date(2026, 11, 30)


def engine_days(expression, first_day, days):
    """The days the hours engine says the expression is open, one evaluation per day (as the cards read it)."""
    oh = hours.parse(expression)
    found = []
    for offset in range(days):
        day = first_day + datetime.timedelta(days=offset)
        if any(segment.kind == hours.OPEN for segment in hours.day_segments(oh, day)):
            found.append(day)
    return found


@pytest.mark.parametrize(
    "expression",
    [
        "Sa 08:00-13:00",
        "Sa[1,3] 08:00-13:00",
        "Sa[-1] 09:00-12:30",
        "Apr-Oct We 16:00-19:30",
        "Tu,Fr 07:30-13:00; PH off",
        "2026 Dec 12-14 10:00-19:00",
        "Mo-Su 08:00-12:00; Jan off",
        "week 1-53/2 Th 17:00-19:00",
    ],
)
def test_dates_are_the_days_the_hours_engine_opens(expression):
    found = occurrences(expression, MONDAY, 366)
    assert found, expression
    assert sorted({occurrence.day for occurrence in found}) == engine_days(expression, MONDAY, 366)


@pytest.mark.parametrize(
    "expression, freq, byday",
    [
        ("Sa 08:00-13:00", "WEEKLY", ["SA"]),
        ("Tu,Fr 07:30-13:00", "WEEKLY", ["TU", "FR"]),
        ("Sa[1,3] 08:00-13:00", "MONTHLY", ["1SA", "3SA"]),
        ("Sa[-1] 09:00-12:30", "MONTHLY", ["-1SA"]),
        ("Mo-Su 08:00-12:00", "DAILY", []),
    ],
)
def test_regular_schedules_become_one_rule(expression, freq, byday):
    found = occurrences(expression, MONDAY, 366)
    (rule,) = fit_rules(found)
    assert (rule.freq, rule.ical_byday) == (freq, byday)
    assert rule.days() == [occurrence.day for occurrence in found]


def test_a_season_ends_with_its_last_day():
    (rule,) = fit_rules(occurrences("Apr-Oct We 16:00-19:30", MONDAY, 366))
    assert (rule.freq, rule.first_day, rule.last_day) == (
        "WEEKLY",
        datetime.date(2027, 4, 7),
        datetime.date(2027, 10, 27),
    )
    assert rule.exceptions == ()


def test_public_holidays_and_closures_are_exceptions():
    closure = Closure(starts_on=datetime.date(2026, 12, 15), ends_on=datetime.date(2026, 12, 20))
    found = occurrences("Tu,Fr 07:30-13:00; PH off", MONDAY, 366, closures=[closure])
    (rule,) = fit_rules(found)
    assert rule.freq == "WEEKLY"
    assert datetime.date(2026, 12, 15) in rule.exceptions  # the closure
    assert datetime.date(2026, 12, 25) in rule.exceptions  # Christmas, a Friday
    assert rule.days() == [occurrence.day for occurrence in found]


def test_irregular_dates_are_listed_one_by_one():
    days = [datetime.date(2026, 12, 5), datetime.date(2027, 1, 20), datetime.date(2027, 3, 3)]
    rules = fit_rules([Occurrence(day, 600, 1080) for day in days])
    assert [day for rule in rules for day in rule.days()] == days
    assert all(rule.freq is None for rule in rules)


def test_a_fair_over_three_days():
    found = occurrences("2026 Dec 12-14 10:00-19:00", MONDAY, 366)
    assert [occurrence.day.day for occurrence in found] == [12, 13, 14]
    (rule,) = fit_rules(found)
    assert rule.days() == [occurrence.day for occurrence in found]


def test_a_night_market_past_midnight_is_one_occurrence():
    found = occurrences("Fr 20:00-02:00", MONDAY, 14)
    assert found[0] == Occurrence(datetime.date(2026, 12, 4), 20 * 60, 26 * 60)
    assert found[0].ends_at() == datetime.datetime(2026, 12, 5, 2, 0, tzinfo=hours.PARIS)


def test_blank_or_invalid_hours_have_no_dates():
    assert occurrences("", MONDAY, 30) == []
    assert occurrences("not hours", MONDAY, 30) == []


@pytest.mark.parametrize(
    "today, expected",
    [
        (datetime.date(2026, 11, 30), [datetime.date(2026, 12, 5), datetime.date(2026, 12, 6)]),  # Monday
        (datetime.date(2026, 12, 5), [datetime.date(2026, 12, 5), datetime.date(2026, 12, 6)]),  # Saturday
        (datetime.date(2026, 12, 6), [datetime.date(2026, 12, 6)]),  # Sunday
    ],
)
def test_this_weekend(today, expected):
    assert weekend(today) == expected


def test_a_market_s_days_in_words_leave_out_the_days_it_is_not_held():
    from django.utils import translation

    with translation.override("fr"):
        assert hours.describe_lines("Sa 08:00-13:00; PH off", open_days_only=True) == [
            "samedi : 8 h – 13 h",
            "fermé les jours fériés",
        ]
        assert len(hours.describe_lines("Sa 08:00-13:00; PH off")) == 3  # the listing page's full week
