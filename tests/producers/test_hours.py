import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from producers import hours
from producers.models import Listing, OpeningSlot
from tests.factories import ListingFactory

PARIS = hours.PARIS
UTC = datetime.UTC
WEEKDAYS_9_TO_6_PH_OFF = "Mo-Sa 09:00-18:00; PH off"


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


# --- Validation -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    ["", "   ", "Mo-Fr 09:00-12:00,14:00-18:30", "Mo-Sa 09:00-18:00; PH off", 'Sa "sur rendez-vous"', "24/7"],
)
def test_it_accepts_blank_and_valid_expressions(expression):
    hours.validate_opening_hours(expression)


@pytest.mark.parametrize("expression", ["du lundi au vendredi", "Mo-Fr 9h-18h", "24/24"])
def test_it_rejects_invalid_syntax_with_a_french_message(expression):
    with pytest.raises(ValidationError) as excinfo:
        hours.validate_opening_hours(expression)
    assert "syntaxe OpenStreetMap" in excinfo.value.messages[0]


# --- Public holidays ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(2026, 1, 1),
        datetime.date(2026, 4, 6),  # Easter Monday
        datetime.date(2026, 5, 1),
        datetime.date(2026, 5, 8),
        datetime.date(2026, 5, 14),  # Ascension
        datetime.date(2026, 5, 25),  # Whit Monday
        datetime.date(2026, 7, 14),
        datetime.date(2026, 8, 15),
        datetime.date(2026, 11, 1),
        datetime.date(2026, 11, 11),
        datetime.date(2026, 12, 25),
    ],
)
def test_it_knows_french_public_holidays(day):
    assert hours.is_public_holiday(day)


@pytest.mark.parametrize("day", [datetime.date(2026, 7, 13), datetime.date(2026, 4, 5), datetime.date(2026, 12, 26)])
def test_ordinary_days_are_not_public_holidays(day):
    assert not hours.is_public_holiday(day)


# --- Weekly slots ---------------------------------------------------------------------------------------------


def test_weekly_slots_list_open_ranges_for_ordinary_days_and_holidays():
    slots = hours.weekly_slots("Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:00-12:00; PH off")
    ordinary = [slot for slot in slots if not slot[1]]
    assert ordinary[:2] == [(0, False, 540, 720), (0, False, 840, 1110)]
    assert (5, False, 540, 720) in ordinary
    assert not any(day == 6 for day, *_ in ordinary)
    assert len(ordinary) == 11
    assert [slot for slot in slots if slot[1]] == []


def test_without_a_ph_rule_holidays_have_the_ordinary_ranges():
    slots = hours.weekly_slots("Mo-Fr 09:00-18:00")
    assert {(d, o, c) for d, ph, o, c in slots if ph} == {(d, o, c) for d, ph, o, c in slots if not ph}


def test_a_range_crossing_midnight_is_split_in_two_days():
    slots = hours.weekly_slots("Fr 22:00-02:00")
    assert [slot for slot in slots if not slot[1]] == [(4, False, 1320, 1440), (5, False, 0, 120)]


def test_by_appointment_is_not_open():
    assert hours.weekly_slots('Sa "sur rendez-vous"') == []
    assert hours.weekly_slots('Sa 10:00-12:00 "sur rendez-vous"') == []
    assert hours.weekly_slots('Sa unknown "sur rendez-vous"') == []


@pytest.mark.parametrize("expression", ["", "n'importe quoi", None])
def test_blank_or_invalid_gives_no_slot(expression):
    assert hours.weekly_slots(expression) == []


def test_whole_days_end_at_1440():
    assert hours.weekly_slots("24/7")[0] == (0, False, 0, 1440)


# --- French rendering -----------------------------------------------------------------------------------------


def test_it_describes_a_working_week_in_french():
    assert hours.describe("Mo-Fr 09:00-12:00,14:00-18:30") == [
        ("du lundi au vendredi", "9 h – 12 h et 14 h – 18 h 30"),
        ("samedi et dimanche", "fermé"),
    ]


def test_it_says_closed_on_public_holidays():
    lines = hours.describe_lines("Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:00-12:00; PH off")
    assert lines == [
        "du lundi au vendredi : 9 h – 12 h et 14 h – 18 h 30",
        "samedi : 9 h – 12 h",
        "dimanche : fermé",
        "fermé les jours fériés",
    ]


def test_it_lists_scattered_days():
    rows = hours.describe("Mo,We,Fr 08:00-12:30")
    assert rows[0] == ("lundi, mercredi et vendredi", "8 h – 12 h 30")
    assert rows[1] == ("mardi, jeudi, samedi et dimanche", "fermé")


def test_it_renders_by_appointment():
    assert ("samedi", "sur rendez-vous") in hours.describe('Mo-Fr 09:00-18:00; Sa "sur rendez-vous"')
    assert ("samedi", "sur rendez-vous") in hours.describe('Mo-Fr 09:00-18:00; Sa unknown "sur rendez-vous"')
    assert ("samedi", "10 h – 12 h (sur rendez-vous)") in hours.describe('Sa 10:00-12:00 "sur rendez-vous"')


def test_it_shows_holiday_hours_when_they_differ():
    assert hours.describe("Mo-Fr 09:00-18:00; PH 10:00-12:00")[-1] == ("jours fériés", "10 h – 12 h")


def test_it_shows_a_night_range_on_the_day_it_starts():
    assert hours.describe("Fr 22:00-02:00")[0] == ("vendredi", "22 h – 2 h")


def test_every_day_the_same():
    assert hours.describe("Mo-Su 08:00-20:00") == [("tous les jours", "8 h – 20 h")]
    assert hours.describe("24/7") == [("tous les jours", "toute la journée")]


@pytest.mark.parametrize("expression", ["Mo-Fr 09:00-18:00; Jul-Aug off", "Apr-Sep Sa 08:00-12:00", "bla bla"])
def test_seasonal_or_invalid_expressions_are_shown_raw(expression):
    assert hours.describe(expression) == [("horaires", expression)]


def test_blank_describes_nothing():
    assert hours.describe("") == []


def test_it_renders_times_the_english_way_in_english():
    with translation.override("en"):
        rows = hours.describe("Mo-Fr 09:00-12:00,14:00-18:30")
    assert "9:00–12:00" in rows[0][1]
    assert "14:00–18:30" in rows[0][1]
    assert "Monday" in rows[0][0] and "Friday" in rows[0][0]


# --- Status ---------------------------------------------------------------------------------------------------

WEEK = "Mo-Fr 09:00-12:00,14:00-18:30; PH off"


def test_it_is_open_now_and_says_when_it_closes():
    result = hours.status(WEEK, paris(2026, 7, 13, 16, 0))  # a Monday
    assert result.is_open is True
    assert result.label == "Ouvert maintenant · ferme à 18 h 30"
    assert result.changes_at == paris(2026, 7, 13, 18, 30)


def test_it_opens_again_today_after_lunch():
    result = hours.status(WEEK, paris(2026, 7, 13, 12, 30))
    assert result.is_open is False
    assert result.label == "Ouvre aujourd’hui à 14 h"


def test_it_opens_tomorrow():
    result = hours.status(WEEK, paris(2026, 7, 15, 19, 0))  # Wednesday evening
    assert result.label == "Fermé · ouvre demain à 9 h"


def test_it_opens_on_a_named_day_after_a_weekend():
    assert hours.status(WEEK, paris(2026, 7, 17, 19, 0)).label == "Fermé · ouvre lundi à 9 h"


def test_it_skips_a_public_holiday_when_saying_when_it_opens():
    # Monday 13 July evening: Tuesday is Bastille Day, so it opens on Wednesday.
    assert hours.status(WEEK, paris(2026, 7, 13, 19, 0)).label == "Fermé · ouvre mercredi à 9 h"


def test_it_is_closed_on_bastille_day_when_ph_off():
    assert hours.status(WEEKDAYS_9_TO_6_PH_OFF, paris(2026, 7, 14, 10, 0)).is_open is False
    assert hours.status(WEEKDAYS_9_TO_6_PH_OFF, paris(2026, 7, 13, 10, 0)).is_open is True


def test_it_is_open_on_the_sunday_clocks_go_forward():
    result = hours.status("Mo-Su 09:00-18:00", paris(2026, 3, 29, 9, 30))
    assert result.is_open is True
    assert result.label == "Ouvert maintenant · ferme à 18 h"


def test_it_is_open_on_the_sunday_clocks_go_back():
    assert hours.status("Su 09:00-18:00", paris(2026, 10, 25, 9, 30)).is_open is True


def test_aware_utc_datetimes_are_read_in_paris_time():
    # 07:30 UTC on 29 March 2026 is 09:30 in Paris (summer time since 02:00 that night).
    assert hours.status("Su 09:00-18:00", datetime.datetime(2026, 3, 29, 7, 30, tzinfo=UTC)).is_open is True
    # 07:30 UTC on 25 October 2026 is 08:30 in Paris (winter time again).
    closed = hours.status("Su 09:00-18:00", datetime.datetime(2026, 10, 25, 7, 30, tzinfo=UTC))
    assert closed.is_open is False
    assert closed.label == "Ouvre aujourd’hui à 9 h"


def test_by_appointment_is_neither_open_nor_closed():
    result = hours.status('Sa "sur rendez-vous"', paris(2026, 7, 18, 10, 0))
    assert result.is_open is None
    assert result.label == "Sur rendez-vous"


def test_no_hours_means_unknown():
    assert hours.status("", paris(2026, 7, 13, 10, 0)).is_open is None
    assert hours.status("garbage", paris(2026, 7, 13, 10, 0)).is_open is None


def test_a_seasonal_place_says_the_date_it_opens():
    label = hours.status("Jun-Sep Sa 08:00-12:00", paris(2026, 1, 13, 10, 0)).label
    assert label == "Fermé · ouvre le 6 juin à 8 h"


def test_status_defaults_to_now(monkeypatch):
    # Open on Tuesday morning, closed that afternoon: only the moment the clock gives decides.
    monkeypatch.setattr("django.utils.timezone.now", lambda: paris(2026, 1, 13, 10, 0))
    assert hours.status("Mo-Fr 09:00-12:00").is_open is True
    monkeypatch.setattr("django.utils.timezone.now", lambda: paris(2026, 1, 13, 15, 0))
    assert hours.status("Mo-Fr 09:00-12:00").is_open is False


# --- Open now in the database ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_saving_a_listing_stores_its_opening_slots():
    listing = ListingFactory(opening_hours="Mo-Fr 09:00-18:00; PH off")
    ordinary = OpeningSlot.objects.filter(listing=listing, public_holiday=False)
    assert sorted(ordinary.values_list("weekday", flat=True)) == [0, 1, 2, 3, 4]
    assert not OpeningSlot.objects.filter(listing=listing, public_holiday=True).exists()


@pytest.mark.django_db
def test_open_at_filters_listings_open_at_a_moment():
    weekdays = ListingFactory(opening_hours="Mo-Fr 09:00-12:00,14:00-18:30")
    saturday = ListingFactory(opening_hours="Sa 08:00-13:00")
    ListingFactory(opening_hours="")
    ListingFactory(opening_hours='Mo-Su "sur rendez-vous"')
    assert list(Listing.objects.open_at(paris(2026, 7, 13, 10, 0))) == [weekdays]
    assert list(Listing.objects.open_at(paris(2026, 7, 13, 13, 0))) == []
    assert list(Listing.objects.open_at(paris(2026, 7, 18, 12, 59))) == [saturday]
    assert list(Listing.objects.open_at(paris(2026, 7, 18, 13, 0))) == []


@pytest.mark.django_db
def test_open_at_respects_public_holidays():
    closed_on_holidays = ListingFactory(opening_hours=WEEKDAYS_9_TO_6_PH_OFF)
    open_on_holidays = ListingFactory(opening_hours="Mo-Sa 09:00-18:00")
    assert set(Listing.objects.open_at(paris(2026, 7, 13, 10, 0))) == {closed_on_holidays, open_on_holidays}
    assert list(Listing.objects.open_at(paris(2026, 7, 14, 10, 0))) == [open_on_holidays]


@pytest.mark.django_db
def test_open_at_reads_utc_moments_in_paris_time():
    sunday = ListingFactory(opening_hours="Su 09:00-18:00")
    assert list(Listing.objects.open_at(datetime.datetime(2026, 3, 29, 7, 30, tzinfo=UTC))) == [sunday]
    assert list(Listing.objects.open_at(datetime.datetime(2026, 10, 25, 7, 30, tzinfo=UTC))) == []


@pytest.mark.django_db
def test_open_at_after_midnight_uses_the_split_range():
    night = ListingFactory(opening_hours="Fr 22:00-02:00")
    assert list(Listing.objects.open_at(paris(2026, 7, 18, 1, 0))) == [night]
    assert list(Listing.objects.open_at(paris(2026, 7, 17, 23, 0))) == [night]


@pytest.mark.django_db
def test_changing_the_hours_replaces_the_slots():
    listing = ListingFactory(opening_hours="Mo 09:00-12:00")
    listing.opening_hours = "Tu 09:00-12:00"
    listing.save()
    slots = listing.opening_slots.order_by("public_holiday").values_list("weekday", "public_holiday", "opens", "closes")
    assert list(slots) == [
        (1, False, 540, 720),
        (1, True, 540, 720),
    ]


# --- English --------------------------------------------------------------------------------------------------


def test_statuses_are_english_in_english():
    with translation.override("en"):
        assert hours.status(WEEK, paris(2026, 7, 13, 16, 0)).label == "Open now · closes at 18:30"
        assert hours.status(WEEK, paris(2026, 7, 15, 19, 0)).label == "Closed · opens tomorrow at 9:00"
        assert hours.status(WEEK, paris(2026, 7, 17, 19, 0)).label == "Closed · opens Monday at 9:00"
        assert hours.status('Sa "sur rendez-vous"', paris(2026, 7, 18, 10, 0)).label == "By appointment"


def test_descriptions_are_english_in_english():
    with translation.override("en"):
        lines = hours.describe_lines("Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:00-12:00; PH off")
        assert lines == [
            "Monday to Friday: 9:00–12:00 and 14:00–18:30",
            "Saturday: 9:00–12:00",
            "Sunday: closed",
            "closed on public holidays",
        ]
        assert hours.describe("Mo-Su 08:00-20:00") == [("every day", "8:00–20:00")]
        with pytest.raises(ValidationError) as excinfo:
            hours.validate_opening_hours("Mo-Fr 9h-18h")
        assert "not in the OpenStreetMap syntax" in excinfo.value.messages[0]
