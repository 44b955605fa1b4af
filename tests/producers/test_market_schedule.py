"""When a producer is at a market: the market's hours, read within the producer's own days (producers.hours)."""

import datetime

import pytest

from producers import hours
from producers.hours import PARIS


def at(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


MONDAY = at(2026, 11, 30, 2)  # Monday 30 November 2026


def days(openings):
    return [(opens.date().isoformat(), opens.strftime("%H:%M"), closes.strftime("%H:%M")) for opens, closes in openings]


def test_a_weekly_market_opens_every_saturday_morning():
    found = hours.next_openings("Sa 08:00-13:00", MONDAY, count=3)
    assert days(found) == [
        ("2026-12-05", "08:00", "13:00"),
        ("2026-12-12", "08:00", "13:00"),
        ("2026-12-19", "08:00", "13:00"),
    ]


def test_the_first_and_third_saturdays_within_the_market_hours():
    found = hours.next_openings("Sa 08:00-13:00", MONDAY, count=4, within="Sa[1,3]")
    # 5 and 19 December, then 2 and 16 January: the 2nd and 4th Saturdays are skipped.
    assert days(found) == [
        ("2026-12-05", "08:00", "13:00"),
        ("2026-12-19", "08:00", "13:00"),
        ("2027-01-02", "08:00", "13:00"),
        ("2027-01-16", "08:00", "13:00"),
    ]


def test_the_last_saturday_of_the_month():
    found = hours.next_openings("Sa 08:00-13:00", MONDAY, count=2, within="Sa[-1]")
    assert days(found) == [("2026-12-26", "08:00", "13:00"), ("2027-01-30", "08:00", "13:00")]


def test_a_fair_has_its_dates_and_nothing_after():
    fair = "2026 Dec 12-14 10:00-19:00"
    found = hours.next_openings(fair, MONDAY, count=10)
    assert days(found) == [
        ("2026-12-12", "10:00", "19:00"),
        ("2026-12-13", "10:00", "19:00"),
        ("2026-12-14", "10:00", "19:00"),
    ]
    assert hours.next_openings(fair, at(2026, 12, 15)) == []


def test_a_fair_seen_during_its_opening_starts_now():
    found = hours.next_openings("2026 Dec 12-14 10:00-19:00", at(2026, 12, 13, 15, 30))
    assert days(found) == [("2026-12-13", "15:30", "19:00")]


def test_in_season_only_skips_the_winter():
    found = hours.next_openings("Sa 08:00-13:00", MONDAY, count=2, within="Apr-Oct")
    assert days(found) == [("2027-04-03", "08:00", "13:00"), ("2027-04-10", "08:00", "13:00")]


def test_the_season_ends_with_october():
    found = hours.next_openings("Sa 08:00-13:00", at(2027, 10, 20), count=3, within="Apr-Oct")
    assert [day for day, _o, _c in days(found)] == ["2027-10-23", "2027-10-30", "2028-04-01"]


def test_a_producer_there_only_early_gets_the_overlap():
    found = hours.next_openings("Sa 08:00-13:00", MONDAY, within="Sa 07:00-10:00")
    assert days(found) == [("2026-12-05", "08:00", "10:00")]


def test_a_market_on_two_days_with_a_producer_on_one():
    found = hours.next_openings("We,Sa 08:00-13:00", MONDAY, count=3, within="We")
    assert days(found) == [
        ("2026-12-02", "08:00", "13:00"),
        ("2026-12-09", "08:00", "13:00"),
        ("2026-12-16", "08:00", "13:00"),
    ]


def test_days_that_never_meet_give_nothing():
    assert hours.next_openings("Sa 08:00-13:00", MONDAY, within="Tu") == []


@pytest.mark.parametrize("expression", ["", "n'importe quoi", None])
def test_no_hours_no_dates(expression):
    assert hours.next_openings(expression, MONDAY) == []


def test_an_invalid_producer_schedule_restricts_to_nothing():
    assert hours.next_openings("Sa 08:00-13:00", MONDAY, within="le samedi") == []


def test_a_market_closed_on_public_holidays_skips_christmas_and_new_year():
    found = hours.next_openings("Fr 16:00-19:00; PH off", at(2026, 12, 20), count=2)
    # 25 December 2026 and 1 January 2027 are Fridays.
    assert [day for day, _o, _c in days(found)] == ["2027-01-08", "2027-01-15"]


def test_open_days_lists_each_date_once():
    assert hours.open_days("Sa 08:00-13:00,15:00-18:00", datetime.date(2026, 12, 1), 14) == [
        datetime.date(2026, 12, 5),
        datetime.date(2026, 12, 12),
    ]
