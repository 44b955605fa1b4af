"""The per-day hours form for markets and fairs: weeks of the month, a season, dates, as a page without JavaScript
posts them, written in the opening-hours syntax and read back from it."""

import pytest
from django.http import QueryDict
from django.utils import translation

from producers.forms.hours import ADVANCED, SIMPLE, compress, decompress

from .test_hours_form import HoursForm, post


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def saturday_morning(**calendar):
    """The widget's fields for Saturday 08:00-13:00, plus calendar fields (weeks as a list)."""
    data = QueryDict(mutable=True)
    data.update(post(sa=("open", [("08:00", "13:00")])))
    for key, value in calendar.items():
        name = f"opening_hours_{key}"
        if isinstance(value, list):
            data.setlist(name, value)
        else:
            data[name] = value
    return data


def cleaned(data):
    form = HoursForm(data)
    assert form.is_valid(), form.errors
    return form.cleaned_data["opening_hours"]


def test_no_calendar_keeps_the_weekly_hours():
    assert cleaned(saturday_morning()) == "Sa 08:00-13:00"


def test_the_first_and_third_saturdays():
    assert cleaned(saturday_morning(weeks=["1", "3"])) == "Sa[1,3] 08:00-13:00"


def test_the_last_week_comes_last():
    assert cleaned(saturday_morning(weeks=["-1", "2"])) == "Sa[2,-1] 08:00-13:00"


def test_two_days_each_get_the_weeks():
    data = saturday_morning(weeks=["1", "3"])
    data.update(
        {"opening_hours_we_state": "open", "opening_hours_we_opens_1": "08:00", "opening_hours_we_closes_1": "13:00"}
    )
    assert cleaned(data) == "We[1,3],Sa[1,3] 08:00-13:00"


def test_a_season():
    assert cleaned(saturday_morning(season_from="4", season_to="10")) == "Apr-Oct Sa 08:00-13:00"


def test_a_season_across_the_new_year():
    assert cleaned(saturday_morning(season_from="11", season_to="2")) == "Nov-Feb Sa 08:00-13:00"


def test_a_fair_every_day_of_its_dates():
    data = QueryDict(mutable=True)
    every_day = {code: ("open", [("10:00", "19:00")]) for code in ("mo", "tu", "we", "th", "fr", "sa", "su")}
    data.update(post(**every_day))
    data.update({"opening_hours_first_date": "2026-12-12", "opening_hours_last_date": "2026-12-14"})
    assert cleaned(data) == "2026 Dec 12-14 10:00-19:00"


def test_dates_typed_the_french_way_across_the_new_year():
    data = saturday_morning(first_date="30/12/2026", last_date="02/01/2027")
    assert cleaned(data) == "2026 Dec 30-2027 Jan 2 Sa 08:00-13:00"


def test_a_one_day_event():
    assert cleaned(saturday_morning(first_date="2027-03-06")) == "2027 Mar 6 Sa 08:00-13:00"


@pytest.mark.parametrize(
    "calendar, message",
    [
        ({"season_from": "4"}, "Saison : choisissez le premier et le dernier mois."),
        (
            {"first_date": "2026-12-14", "last_date": "2026-12-12"},
            "Dates : le dernier jour doit venir après le premier.",
        ),
        ({"first_date": "le 12"}, "Dates : indiquez des jours comme 12/12/2026."),
        ({"first_date": "2026-01-01", "last_date": "2027-06-01"}, "Dates : un événement dure un an au plus"),
        (
            {"season_from": "4", "season_to": "10", "first_date": "2026-12-12"},
            "Choisissez une saison ou des dates, pas les deux.",
        ),
    ],
)
def test_mistakes_are_explained_and_shown_in_the_calendar_part(calendar, message):
    form = HoursForm(saturday_morning(**calendar))
    assert not form.is_valid()
    assert any(message in error for error in form.errors["opening_hours"])
    html = str(form["opening_hours"])
    assert message in html.replace("&#x27;", "'")
    assert "<details" in html and " open>" in html  # unfolded on the mistake


def test_weeks_without_any_open_day_are_refused():
    data = QueryDict(mutable=True)
    data.update(post())
    data.setlist("opening_hours_weeks", ["1"])
    form = HoursForm(data)
    assert not form.is_valid()
    assert "aucun jour n’est ouvert" in form.errors["opening_hours"][0]


@pytest.mark.parametrize(
    "expression",
    [
        "Sa[1,3] 08:00-13:00; PH off",
        "We[1,3],Sa[1,3] 08:00-13:00",
        "Sa[-1] 08:00-12:00",
        "Apr-Oct Sa 08:00-13:00",
        "Nov-Feb Sa[1,-1] 08:00-12:00",
        "2026 Dec 12-14 10:00-19:00",
        "2026 Dec 30-2027 Jan 2 10:00-19:00",
        'Apr-Oct Sa unknown "sur rendez-vous"',
    ],
)
def test_calendar_hours_open_in_the_per_day_form_and_come_back_the_same(expression):
    value = decompress(expression)
    assert value["mode"] == SIMPLE
    assert compress(value) == (expression, [])


def test_the_stored_calendar_is_shown_ticked():
    html = str(HoursForm(initial={"opening_hours": "Apr-Oct Sa[1,3] 08:00-13:00"})["opening_hours"])
    assert 'value="1" checked' in html and 'value="3" checked' in html and 'value="2" checked' not in html
    assert '<option value="4" selected>avril</option>' in html
    assert '<option value="10" selected>octobre</option>' in html
    assert "<details" in html and " open>" in html


def test_an_unused_calendar_stays_folded():
    html = str(HoursForm(initial={"opening_hours": "Sa 08:00-13:00"})["opening_hours"])
    assert "<details" in html and " open>" not in html


@pytest.mark.parametrize(
    "expression",
    ["Apr-Oct Sa 08:00-13:00; Nov-Mar Sa 09:00-12:00", "Sa[1] 08:00-12:00; Su[2] 08:00-12:00", "Dec 24 off"],
)
def test_calendars_the_form_cannot_hold_stay_in_the_advanced_mode(expression):
    assert decompress(expression)["mode"] == ADVANCED


def test_the_same_hours_written_otherwise_are_no_change():
    field = HoursForm().fields["opening_hours"]
    assert not field.has_changed("Sa[1,3] 08:00-13:00; PH closed", "Sa[1,3] 08:00-13:00; PH off")
    assert field.has_changed("Sa[1,3] 08:00-13:00", "Sa[2,4] 08:00-13:00")
