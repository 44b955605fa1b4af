import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from producers import hours
from producers.models import Listing
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


# --- Dated slots ----------------------------------------------------------------------------------------------

MONDAY_15_JUNE = datetime.date(2026, 6, 15)
EIGHT_WEEKS = 56


def slots(expression, first_day=MONDAY_15_JUNE, days=EIGHT_WEEKS):
    return sorted(tuple(slot) for slot in hours.dated_slots(expression, first_day, days))


def d(month, day):
    return datetime.date(2026, month, day)


def test_an_ordinary_week_is_one_slot_per_range_for_the_whole_window():
    found = slots("Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:00-12:00")
    assert len(found) == 11
    assert (0, d(6, 15), d(8, 3), 540, 720) in found
    assert (5, d(6, 20), d(8, 8), 540, 720) in found


def test_a_public_holiday_splits_the_runs_of_its_weekday():
    # Tuesday 14 July is Bastille Day.
    found = [slot for slot in slots("Mo-Fr 09:00-18:00; PH off") if slot[0] == 1]
    assert found == [(1, d(6, 16), d(7, 7), 540, 1080), (1, d(7, 21), d(8, 4), 540, 1080)]


def test_a_season_ends_the_runs():
    found = slots("Mo-Fr 09:00-18:00; Jul-Aug off")
    assert {slot[2] for slot in found} == {d(6, 29), d(6, 30), d(6, 24), d(6, 25), d(6, 26)}


def test_the_first_saturday_of_the_month_is_a_slot_of_its_own():
    assert slots("Sa[1] 09:00-12:00") == [(5, d(7, 4), d(7, 4), 540, 720), (5, d(8, 1), d(8, 1), 540, 720)]


def test_a_range_crossing_midnight_is_split_in_two_days():
    assert slots("Fr 22:00-02:00") == [(4, d(6, 19), d(8, 7), 1320, 1440), (5, d(6, 20), d(8, 8), 0, 120)]


def test_by_appointment_is_not_open():
    assert slots('Sa "sur rendez-vous"') == []
    assert slots('Sa 10:00-12:00 "sur rendez-vous"') == []
    assert slots('Sa unknown "sur rendez-vous"') == []


@pytest.mark.parametrize("expression", ["", "n'importe quoi", None])
def test_blank_or_invalid_gives_no_slot(expression):
    assert slots(expression) == []


def test_whole_days_end_at_1440():
    assert slots("24/7")[0] == (0, d(6, 15), d(8, 3), 0, 1440)


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


@pytest.mark.parametrize("expression", ["Mo-Fr 09:00-18:00; Jul-Aug off", "Apr-Sep Sa 08:00; Oct Su 10:00", "bla bla"])
def test_seasonal_or_invalid_expressions_are_shown_raw(expression):
    assert hours.describe(expression) == [("horaires", expression)]


def test_a_season_in_front_of_every_rule_is_said_in_words():
    assert hours.describe("Apr-Sep Sa 08:00-12:00") == [
        ("saison", "avril à septembre"),
        ("samedi", "8 h – 12 h"),
        ("du lundi au vendredi et dimanche", "fermé"),
    ]


def test_the_same_hours_are_said_in_the_language_of_each_page():
    # the rows are kept per expression and language
    for _ in range(2):
        assert hours.describe("Mo-Fr 09:00-12:00")[0] == ("du lundi au vendredi", "9 h – 12 h")
        with translation.override("en"):
            assert hours.describe("Mo-Fr 09:00-12:00")[0] == ("Monday to Friday", "9:00–12:00")


def test_rows_said_again_are_whole_even_when_a_caller_changed_its_copy():
    first = hours.describe("Apr-Sep Sa 08:00-12:00")
    first.clear()
    assert hours.describe("Apr-Sep Sa 08:00-12:00")[0] == ("saison", "avril à septembre")
    assert hours.describe("Sa[1,3] 08:00-13:00")[0] == ("samedi (1re et 3e semaines du mois)", "8 h – 13 h")
    assert hours.describe("Sa[1,3] 08:00-13:00")[0] == ("samedi (1re et 3e semaines du mois)", "8 h – 13 h")


def test_weeks_of_the_month_are_said_with_the_days():
    assert hours.describe("Sa[1,3] 08:00-13:00; PH off")[0] == ("samedi (1re et 3e semaines du mois)", "8 h – 13 h")
    assert hours.describe("Sa[-1] 08:00-13:00")[0] == ("samedi (dernière semaine du mois)", "8 h – 13 h")


def test_a_fairs_dates_are_said_before_its_hours():
    assert hours.describe("2026 Dec 12-14 10:00-19:00") == [
        ("dates", "du 12 au 14 décembre 2026"),
        ("tous les jours", "10 h – 19 h"),
    ]
    assert hours.describe("2026 Dec 30-2027 Jan 2 10:00-18:00")[0] == ("dates", "du 30 décembre 2026 au 2 janvier 2027")


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


@pytest.fixture
def today(monkeypatch):
    """Django's clock at 08:00 in Paris on a given day (slots are written for the weeks that follow it)."""

    def set_today(day):
        moment = datetime.datetime.combine(day, datetime.time(8), tzinfo=PARIS)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    set_today(datetime.date(2026, 7, 1))
    return set_today


@pytest.mark.django_db
def test_saving_a_listing_stores_its_opening_slots(today):
    listing = ListingFactory(opening_hours="Mo-Fr 09:00-18:00; PH off")
    assert sorted(listing.opening_slots.values_list("weekday", flat=True).distinct()) == [0, 1, 2, 3, 4]
    assert listing.opening_slots.order_by("first_day").first().first_day == datetime.date(2026, 7, 1)
    assert max(listing.opening_slots.values_list("last_day", flat=True)) == datetime.date(2026, 8, 25)


@pytest.mark.django_db
def test_open_at_filters_listings_open_at_a_moment(today):
    weekdays = ListingFactory(opening_hours="Mo-Fr 09:00-12:00,14:00-18:30")
    saturday = ListingFactory(opening_hours="Sa 08:00-13:00")
    ListingFactory(opening_hours="")
    ListingFactory(opening_hours='Mo-Su "sur rendez-vous"')
    assert list(Listing.objects.open_at(paris(2026, 7, 13, 10, 0))) == [weekdays]
    assert list(Listing.objects.open_at(paris(2026, 7, 13, 13, 0))) == []
    assert list(Listing.objects.open_at(paris(2026, 7, 18, 12, 59))) == [saturday]
    assert list(Listing.objects.open_at(paris(2026, 7, 18, 13, 0))) == []


@pytest.mark.django_db
def test_open_at_respects_public_holidays(today):
    closed_on_holidays = ListingFactory(opening_hours=WEEKDAYS_9_TO_6_PH_OFF)
    open_on_holidays = ListingFactory(opening_hours="Mo-Sa 09:00-18:00")
    assert set(Listing.objects.open_at(paris(2026, 7, 13, 10, 0))) == {closed_on_holidays, open_on_holidays}
    assert list(Listing.objects.open_at(paris(2026, 7, 14, 10, 0))) == [open_on_holidays]


@pytest.mark.django_db
def test_open_at_reads_utc_moments_in_paris_time(today):
    today(datetime.date(2026, 3, 20))
    sunday = ListingFactory(opening_hours="Su 09:00-18:00")
    assert list(Listing.objects.open_at(datetime.datetime(2026, 3, 29, 7, 30, tzinfo=UTC))) == [sunday]
    today(datetime.date(2026, 10, 20))
    call_command("refresh_opening_slots", verbosity=0)
    assert list(Listing.objects.open_at(datetime.datetime(2026, 10, 25, 7, 30, tzinfo=UTC))) == []
    assert list(Listing.objects.open_at(datetime.datetime(2026, 10, 25, 8, 30, tzinfo=UTC))) == [sunday]


@pytest.mark.django_db
def test_open_at_after_midnight_uses_the_split_range(today):
    night = ListingFactory(opening_hours="Fr 22:00-02:00")
    assert list(Listing.objects.open_at(paris(2026, 7, 18, 1, 0))) == [night]
    assert list(Listing.objects.open_at(paris(2026, 7, 17, 23, 0))) == [night]


@pytest.mark.django_db
def test_changing_the_hours_replaces_the_slots(today):
    listing = ListingFactory(opening_hours="Mo 09:00-12:00")
    listing.opening_hours = "Tu 09:00-12:00"
    listing.save()
    assert set(listing.opening_slots.values_list("weekday", "opens", "closes")) == {(1, 540, 720)}


# The bug of issue 12: the filter used the January week, so a place closed for the summer was "open" in July in
# the filter and on the map while its card said "Fermé".
SUMMER_OFF = "Mo-Fr 09:00-18:00; Jul-Aug off"


@pytest.mark.django_db
def test_a_place_closed_for_the_summer_is_not_open_in_july(today):
    today(datetime.date(2026, 6, 29))
    listing = ListingFactory(opening_hours=SUMMER_OFF)
    july = paris(2026, 7, 15, 10, 0)
    assert hours.status(SUMMER_OFF, july).is_open is False
    assert not Listing.objects.open_at(july).exists()
    assert Listing.objects.with_open_now(july).get(pk=listing.pk).is_open is False
    # The same listing in June, and in September once the daily command has moved the window on.
    assert Listing.objects.open_at(paris(2026, 6, 30, 10, 0)).get() == listing
    today(datetime.date(2026, 8, 31))
    call_command("refresh_opening_slots", verbosity=0)
    assert Listing.objects.open_at(paris(2026, 9, 1, 10, 0)).get() == listing
    assert not Listing.objects.open_at(paris(2026, 8, 31, 10, 0)).exists()


@pytest.mark.django_db
def test_nth_weekdays_and_week_numbers_are_open_only_on_their_days(today):
    first_saturday = ListingFactory(opening_hours="Sa[1] 09:00-12:00")
    odd_weeks = ListingFactory(opening_hours="week 01-53/2 Mo 10:00-11:00")
    assert list(Listing.objects.open_at(paris(2026, 7, 4, 10, 0))) == [first_saturday]
    assert not Listing.objects.open_at(paris(2026, 7, 11, 10, 0)).exists()
    # 13 July 2026 is in ISO week 29, 20 July in week 30.
    assert list(Listing.objects.open_at(paris(2026, 7, 13, 10, 30))) == [odd_weeks]
    assert not Listing.objects.open_at(paris(2026, 7, 20, 10, 30)).exists()


@pytest.mark.django_db
def test_a_moment_past_the_window_finds_nothing_open_until_the_command_runs(today, settings):
    settings.OPENING_SLOT_WEEKS = 1
    listing = ListingFactory(opening_hours="Mo-Su 09:00-18:00")
    assert not Listing.objects.open_at(paris(2026, 7, 10, 10, 0)).exists()
    today(datetime.date(2026, 7, 9))
    out = io.StringIO()
    call_command("refresh_opening_slots", stdout=out)
    call_command("refresh_opening_slots", stdout=out)  # twice: the same rows
    assert Listing.objects.open_at(paris(2026, 7, 10, 10, 0)).get() == listing
    assert listing.opening_slots.count() == 7
    assert "7 opening slots written for 1 listings, from 2026-07-09 for 7 days." in out.getvalue()


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


def test_a_year_ahead_landing_in_the_hour_skipped_in_spring_is_no_error():
    # 27 March 2026 at 02:30 + 366 days is 28 March 2027 at 02:30, an hour that does not exist in Paris: the card
    # raised TypeError from opening-hours-py (found by the open-now property test).
    result = hours.status("Mo-Su 09:00-18:00", paris(2026, 3, 27, 2, 30))
    assert result.is_open is False
    assert result.label == "Ouvre aujourd’hui à 9 h"


# --- Hours that mean what the producer meant --------------------------------------------------------------------


@pytest.mark.parametrize("expression", ["Mo 12:30-12:30", "Mo-Fr 09:00-12:00,14:00-14:00", "Sa 00:00-00:00"])
def test_a_zero_length_range_is_refused_not_read_as_a_whole_day(expression):
    with pytest.raises(ValidationError) as excinfo:
        hours.validate_opening_hours(expression)
    assert excinfo.value.code == "zero_length_range"
    assert "ouvre et ferme à la même heure" in excinfo.value.messages[0]


@pytest.mark.parametrize("expression", ["Mo 00:00-24:00", 'Mo 09:00-18:00 "12:30-12:30"', "Mo 22:00-02:00"])
def test_ranges_that_only_look_alike_are_accepted(expression):
    hours.validate_opening_hours(expression)


@pytest.mark.parametrize(
    ("expression", "meant_closed", "joined"),
    [
        ("Mo, We 10:00-12:00", paris(2026, 3, 2, 3, 0), "Mo,We 10:00-12:00"),
        ("Sa 08:00-12:00; Mo, We, Fr 16:00-19:00", paris(2026, 3, 2, 3, 0), "Mo,We,Fr 16:00-19:00"),
        ("Mo , We 10:00-12:00", paris(2026, 3, 2, 3, 0), "Mo,We 10:00-12:00"),
        ("mo, we 10:00-12:00", paris(2026, 3, 2, 3, 0), "mo,we 10:00-12:00"),
        ("Mo-Sa 09:00-19:00; Su, PH off", paris(2026, 3, 8, 15, 0), "Su,PH off"),
        ("PH, Sa 10:00-12:00", paris(2026, 5, 1, 3, 0), "PH,Sa 10:00-12:00"),
        ("Sa[1], Su 10:00-12:00", paris(2026, 3, 7, 3, 0), "Sa[1],Su 10:00-12:00"),
        ("Mar-Oct Mo, We 10:00-12:00", paris(2026, 3, 2, 3, 0), "Mar-Oct Mo,We 10:00-12:00"),
        ("Mo-Fr 09:00-18:00 || Sa, Su 10:00-12:00", paris(2026, 3, 7, 3, 0), "Sa,Su 10:00-12:00"),
        ("Mo-Fr 09:00-12:00, Sa, Su 10:00-12:00", paris(2026, 3, 7, 3, 0), "Mo-Fr 09:00-12:00, Sa,Su 10:00-12:00"),
    ],
)
def test_days_listed_with_a_space_around_the_comma_are_refused_not_read_as_a_whole_day(
    expression, meant_closed, joined
):
    # opening-hours-py reads "Mo, We 10:00-12:00" as Monday open all day, then Wednesday 10:00-12:00.
    assert hours.parse(expression).is_open(meant_closed)
    with pytest.raises(ValidationError) as excinfo:
        hours.validate_opening_hours(expression)
    assert excinfo.value.code == "days_split_by_a_space"
    assert "est lu comme ouvert toute la journée" in excinfo.value.messages[0]
    assert f"« {joined} »" in excinfo.value.messages[0]
    hours.validate_opening_hours(joined)
    assert not hours.parse(joined).is_open(meant_closed)


def test_a_day_left_without_hours_after_a_comma_is_refused_without_a_guess():
    with pytest.raises(ValidationError) as excinfo:
        hours.validate_opening_hours("Mo-Fr 10:00-12:00, Sa")
    assert excinfo.value.messages == [
        "Dans « Mo-Fr 10:00-12:00, Sa », « Sa » est lu comme ouvert toute la journée : indiquez ses horaires "
        "(00:00-24:00 pour toute la journée)."
    ]


@pytest.mark.parametrize(
    "expression",
    [
        "Mo-Fr 09:00-12:00, 14:00-18:00",
        "Mo 10:00-12:00, We 14:00-16:00",
        "Mo-Sa 09:00-18:00, Su off",
        'Mo 10:00-12:00 "le marché, We aussi"',
        "Mo-Sa",
        "Mo-Fr sunrise-sunset, Sa 10:00-12:00",
    ],
)
def test_additional_rules_after_a_comma_are_still_accepted(expression):
    hours.validate_opening_hours(expression)


def test_a_day_in_two_rules_is_named_with_the_rule_that_wins():
    assert hours.overridden_days("Mo-Fr 09:00-18:00; We 10:00-12:00; PH off") == [
        ([2], "Mo-Fr 09:00-18:00", "We 10:00-12:00")
    ]
    (notice,) = hours.overridden_days_notices("Mo-Fr 09:00-18:00; We 10:00-12:00")
    assert notice.startswith("Mercredi est dans deux règles, « Mo-Fr 09:00-18:00 » et « We 10:00-12:00 »")


@pytest.mark.parametrize(
    "expression",
    [
        "Mo-Fr 09:00-12:00, We 14:00-18:00",  # an additional rule adds hours
        "Mo-Sa 09:00-18:00; We off",  # closing a day on purpose
        "Mo-Fr 09:00-18:00; Jul-Aug off",  # a season
        "Mo-Fr 09:00-18:00; Sa 09:00-12:00",
        'Mo-Fr 09:00-18:00 "We; Mo-Fr"',
    ],
)
def test_rules_that_do_not_replace_each_other_say_nothing(expression):
    assert hours.overridden_days(expression) == []


@pytest.mark.django_db
def test_the_listing_page_says_its_hours_in_french_and_in_english(client, today):
    today(datetime.date(2026, 7, 17))  # a Friday, 08:00
    listing = ListingFactory(opening_hours="Mo-Fr 09:00-12:00,14:00-18:30; PH off")
    french = client.get(listing.get_absolute_url()).content.decode()
    assert "Ouvre aujourd’hui à 9 h" in french
    assert "du lundi au vendredi" in french and "9 h – 12 h et 14 h – 18 h 30" in french
    english = client.get("/en" + listing.get_absolute_url()).content.decode()
    assert "Opens today at 9:00" in english
    assert "Monday to Friday" in english and "9:00–12:00 and 14:00–18:30" in english
    assert "Ouvre" not in english and "lundi" not in english


def test_a_page_of_cards_asks_the_active_language_once_and_is_labelled_in_it(monkeypatch):
    # Each look-up of the active language goes through asgiref's Local (~16,000 instructions): a page of 20 cards
    # asked it 20 times.
    import importlib
    from types import SimpleNamespace

    status_module = importlib.import_module("producers.hours.status")  # the name `status` is the function

    asked = []
    get_language = status_module.get_language
    monkeypatch.setattr(status_module, "get_language", lambda: asked.append(1) or get_language())
    with translation.override("en"):
        listings = hours.attach_statuses(
            [SimpleNamespace(opening_hours=WEEK, current_closures=()) for _ in range(5)], paris(2026, 7, 13, 16, 0)
        )
    assert len(asked) == 1
    assert {listing.hours_status.label for listing in listings} == {"Open now · closes at 18:30"}
