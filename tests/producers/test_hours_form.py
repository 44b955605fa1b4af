import html as html_lib
import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.utils import translation

from localdir.forms import ErrorSummaryMixin
from producers import hours
from producers.forms.hours import ADVANCED, SIMPLE, OpeningHoursField, compress, decompress


class HoursForm(forms.Form):
    opening_hours = OpeningHoursField(required=False, label="Horaires d’ouverture")


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def post(**days):
    """Form data as the widget posts it: every day closed unless given as code=(state, [(opens, closes)…])."""
    data = {"opening_hours_mode": "simple"}
    for code in ("mo", "tu", "we", "th", "fr", "sa", "su"):
        state, ranges = days.get(code, ("closed", []))
        data[f"opening_hours_{code}_state"] = state
        for number in (1, 2, 3):
            opens, closes = ranges[number - 1] if number <= len(ranges) else ("", "")
            data[f"opening_hours_{code}_opens_{number}"] = opens
            data[f"opening_hours_{code}_closes_{number}"] = closes
    if days.get("ph_off"):
        data["opening_hours_ph_off"] = "on"
    return data


def errors_of(data):
    form = HoursForm(data)
    assert not form.is_valid()
    return form.errors["opening_hours"]


class DayMessages(HTMLParser):
    """{day's legend: [messages shown inside that day]} of a rendered widget."""

    def __init__(self):
        super().__init__()
        self.days, self._legend, self._in_legend, self._in_error, self._in_message = {}, "", False, False, False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "legend":
            self._in_legend, self._legend = True, ""
        elif tag == "div" and "opening-hours-error" in classes:
            self._in_error = True
            self.days[self._legend] = []
        elif tag == "p" and self._in_error:
            self._in_message = True
            self.days[self._legend].append("")

    def handle_endtag(self, tag):
        if tag == "legend":
            self._in_legend = False
        elif tag == "div":
            self._in_error = False
        elif tag == "p":
            self._in_message = False

    def handle_data(self, data):
        if self._in_legend:
            self._legend += data
        elif self._in_message:
            self.days[self._legend][-1] += data


def day_messages(data):
    """The messages a producer sees inside the days of the re-displayed form, all days together."""
    form = HoursForm(data)
    assert not form.is_valid()
    parser = DayMessages()
    parser.feed(str(form["opening_hours"]))
    return [message for messages in parser.days.values() for message in messages]


# --- Compress -------------------------------------------------------------------------------------------------


def test_it_writes_grouped_days_and_holidays_in_osm_syntax():
    week = ("open", [("09:00", "12:00"), ("14:00", "18:30")])
    form = HoursForm(post(mo=week, tu=week, we=week, th=week, fr=week, sa=("open", [("09:00", "12:00")]), ph_off=True))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["opening_hours"] == "Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:00-12:00; PH off"


def test_it_writes_scattered_days_and_appointments():
    morning = ("open", [("08:00", "12:00")])
    form = HoursForm(post(mo=morning, we=morning, fr=morning, sa=("appointment", [])))
    assert form.is_valid(), form.errors
    expression = form.cleaned_data["opening_hours"]
    assert expression == 'Mo,We,Fr 08:00-12:00; Sa unknown "sur rendez-vous"'
    assert ("samedi", "sur rendez-vous") in hours.describe(expression)


def test_ranges_are_written_in_order_whatever_the_input_order():
    form = HoursForm(post(mo=("open", [("14:00", "18:00"), ("09:00", "12:00")])))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["opening_hours"] == "Mo 09:00-12:00,14:00-18:00"


def test_midnight_as_closing_time_means_the_end_of_the_day():
    form = HoursForm(post(fr=("open", [("18:00", "00:00")]), su=("open", [("00:00", "00:00")])))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["opening_hours"] == "Fr 18:00-24:00; Su 00:00-24:00"


def test_all_closed_is_blank():
    form = HoursForm(post(ph_off=True))
    assert form.is_valid()
    assert form.cleaned_data["opening_hours"] == ""


def test_a_raw_expression_is_accepted_and_validated():
    assert HoursForm({"opening_hours": "Mo-Fr 09:00-18:00"}).is_valid()
    assert "syntaxe OpenStreetMap" in errors_of({"opening_hours": "lundi 9h"})[0]


def test_the_advanced_input_is_kept_as_typed_and_validated():
    form = HoursForm({"opening_hours_mode": "advanced", "opening_hours_advanced": "Mo-Fr 09:00-18:00; Jul-Aug off"})
    assert form.is_valid()
    assert form.cleaned_data["opening_hours"] == "Mo-Fr 09:00-18:00; Jul-Aug off"
    assert "syntaxe OpenStreetMap" in errors_of({"opening_hours_mode": "advanced", "opening_hours_advanced": "bof"})[0]


# --- Errors ---------------------------------------------------------------------------------------------------


def test_it_rejects_an_end_before_the_start():
    [message] = day_messages(post(mo=("open", [("14:00", "12:00")])))
    assert "Lundi, plage 1 : la fermeture doit être après l’ouverture." in message


def test_it_rejects_overlapping_ranges():
    [message] = day_messages(post(tu=("open", [("09:00", "13:00"), ("12:00", "18:00")])))
    assert message == "Mardi : les plages 1 et 2 se chevauchent."


def test_it_rejects_ranges_on_a_closed_day():
    [message] = day_messages(post(we=("closed", [("09:00", "12:00")])))
    assert message.startswith("Mercredi : des horaires sont indiqués pour un jour fermé.")


def test_it_rejects_a_half_filled_range():
    [message] = day_messages(post(th=("open", [("09:00", "")])))
    assert message == "Jeudi, plage 1 : indiquez l’heure d’ouverture et l’heure de fermeture."


def test_it_rejects_an_open_day_without_hours():
    [message] = day_messages(post(fr=("open", [])))
    assert message.startswith("Vendredi : indiquez au moins une plage horaire")


def test_it_rejects_something_that_is_not_a_time():
    [message] = day_messages(post(sa=("open", [("9h", "midi")])))
    assert message == "Samedi, plage 1 : « midi » n’est pas une heure."


def test_it_reports_every_error_at_once():
    messages = day_messages(post(mo=("open", [("12:00", "09:00")]), su=("closed", [("10:00", "11:00")])))
    assert len(messages) == 2


def test_the_field_error_names_the_days_and_each_message_is_inside_its_day():
    data = post(mo=("open", [("12:00", "09:00")]), su=("closed", [("10:00", "11:00")]))
    assert errors_of(data) == ["Horaires à corriger : lundi, dimanche (voir le message sous chaque jour)."]
    form = HoursForm(data)
    form.is_valid()
    parser = DayMessages()
    parser.feed(str(form["opening_hours"]))
    assert list(parser.days) == ["Lundi", "Dimanche"]


def test_the_wrong_days_inputs_are_marked_invalid_and_described_by_their_message():
    form = HoursForm(post(mo=("open", [("12:00", "09:00")]), tu=("open", [("09:00", "12:00")])))
    form.is_valid()
    parser = Controls()
    html = str(form["opening_hours"])
    parser.feed(html)
    monday = [c for c in parser.controls if c.get("id", "").startswith("id_opening_hours_mo_")]
    tuesday = [c for c in parser.controls if c.get("id", "").startswith("id_opening_hours_tu_")]
    assert all(c.get("aria-describedby") == "id_opening_hours_mo_error" for c in monday)
    assert all(c.get("aria-invalid") == "true" for c in monday if c.get("type") == "time")
    assert 'id="id_opening_hours_mo_error"' in html
    assert not any("aria-invalid" in c or "aria-describedby" in c for c in tuesday)


def test_errors_keep_what_was_typed():
    form = HoursForm(post(mo=("open", [("14:00", "12:00")])))
    assert not form.is_valid()
    html = str(form["opening_hours"])
    assert 'value="14:00"' in html and 'value="12:00"' in html


# --- Decompress -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        "Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:00-12:00; PH off",
        'Mo,We,Fr 08:00-12:00; Sa unknown "sur rendez-vous"',
        'Sa 14:00-18:00 unknown "sur rendez-vous"',
        "Mo 09:00-10:00,11:00-12:00,14:00-18:00",
        "Su 00:00-24:00",
    ],
)
def test_compress_and_decompress_round_trip(expression):
    value = decompress(expression)
    assert value["mode"] == SIMPLE
    assert compress(value) == (expression, [])


def test_decompress_reads_equivalent_spellings():
    value = decompress("Mo,Tu,We,Th,Fr 09:00-18:00; PH closed")
    assert value["mode"] == SIMPLE
    assert value["ph_off"] is True
    assert value["days"][0] == {"state": "open", "ranges": [("09:00", "18:00"), ("", ""), ("", "")]}
    assert value["days"][6]["state"] == "closed"
    assert compress(value) == ("Mo-Fr 09:00-18:00; PH off", [])


def test_decompress_reads_a_day_by_appointment_written_as_a_comment():
    value = decompress('Sa "sur rendez-vous"')
    assert value["mode"] == SIMPLE
    assert value["days"][5]["state"] == "appointment"


@pytest.mark.parametrize(
    "expression",
    [
        "Mo-Fr 09:00-18:00; Jul-Aug off",
        'Mo-Fr 09:00-18:00 "vente à la ferme"',
        "Mo 08:00-09:00,10:00-11:00,12:00-13:00,14:00-15:00",
        "Mo-Fr 09:00-18:00; PH 10:00-12:00",
        "n'importe quoi",
    ],
)
def test_what_the_days_cannot_hold_goes_to_the_advanced_input(expression):
    value = decompress(expression)
    assert value["mode"] == ADVANCED
    assert value["advanced"] == expression


def test_an_untouched_advanced_expression_is_unchanged():
    initial = "Mo-Fr 09:00-18:00; Jul-Aug off"
    html = str(HoursForm(initial={"opening_hours": initial})["opening_hours"])
    assert 'name="opening_hours_mode" value="advanced"' in html
    assert f'value="{initial}"' in html
    form = HoursForm(
        {"opening_hours_mode": "advanced", "opening_hours_advanced": initial}, initial={"opening_hours": initial}
    )
    assert form.is_valid()
    assert form.cleaned_data["opening_hours"] == initial
    assert not form.has_changed()


def test_a_rewritten_but_equivalent_expression_is_not_a_change():
    initial = "Mo,Tu,We,Th,Fr 09:00-18:00"
    form = HoursForm(
        post(**dict.fromkeys(["mo", "tu", "we", "th", "fr"], ("open", [("09:00", "18:00")]))),
        initial={"opening_hours": initial},
    )
    assert form.is_valid()
    assert not form.has_changed()


# --- Rendering ------------------------------------------------------------------------------------------------


class Controls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.controls, self.labels, self.legends, self.fieldsets = [], {}, [], 0
        self._label_for, self._in_legend = None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            self.controls.append(attrs)
        elif tag == "label":
            self._label_for = attrs.get("for")
            self.labels[self._label_for] = ""
        elif tag == "legend":
            self._in_legend = True
            self.legends.append("")
        elif tag == "fieldset":
            self.fieldsets += 1

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_for = None
        elif tag == "legend":
            self._in_legend = False

    def handle_data(self, data):
        if self._label_for:
            self.labels[self._label_for] += data
        if self._in_legend:
            self.legends[-1] += data


def rendered(initial):
    parser = Controls()
    parser.feed(str(HoursForm(initial={"opening_hours": initial})["opening_hours"]))
    return parser


def test_every_input_has_a_french_label():
    page = rendered("Mo-Fr 09:00-12:00,14:00-18:30; PH off")
    # each day's state and six times, the two holiday choices, then six weeks of the month, two months, two dates
    assert len(page.controls) == 7 * 7 + 2 + 6 + 2 + 2
    for control in page.controls:
        assert page.labels.get(control["id"], "").strip(), control
    assert page.labels["id_opening_hours_mo_opens_1"] == "Lundi, ouverture 1"
    assert page.labels["id_opening_hours_su_closes_3"] == "Dimanche, fermeture 3"
    assert page.labels["id_opening_hours_ph_off"] == "Fermé les jours fériés"
    assert page.labels["id_opening_hours_ph_off_open"] == "Ouvert les jours fériés, comme les autres jours"


def test_each_day_is_a_fieldset_with_a_legend():
    page = rendered("")
    assert page.fieldsets == 11
    assert page.legends == [
        *["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche", "Jours fériés"],
        *["Semaines du mois", "Saison", "Dates d’un événement ponctuel"],
    ]


def test_the_widget_shows_the_stored_values():
    html = str(HoursForm(initial={"opening_hours": "Mo-Fr 09:00-12:00,14:00-18:30; PH off"})["opening_hours"])
    assert 'name="opening_hours_mo_opens_2" id="id_opening_hours_mo_opens_2" value="14:00"' in html
    assert '<option value="open" selected>Ouvert</option>' in html
    assert 'name="opening_hours_ph_off" id="id_opening_hours_ph_off" value="1" checked' in html


def test_the_advanced_input_has_a_label():
    page = rendered("Mo-Fr 09:00-18:00; Jul-Aug off")
    assert [control["id"] for control in page.controls] == ["id_opening_hours_advanced"]
    assert page.labels["id_opening_hours_advanced"] == "Horaires (syntaxe OpenStreetMap)"


# --- Hours that mean what the producer meant (issue 12) -----------------------------------------------------------


def test_a_zero_length_range_is_refused_with_its_own_message():
    # Before, the message said the closing time must come after the opening time and spoke of midnight.
    [message] = day_messages(post(mo=("open", [("12:30", "12:30")])))
    assert message == "Lundi, plage 1 : elle ouvre et ferme à 12:30. Indiquez l’heure de fermeture."


def test_the_whole_day_is_still_00_00_to_00_00():
    form = HoursForm(post(sa=("open", [("00:00", "00:00")])))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["opening_hours"] == "Sa 00:00-24:00"


def test_a_zero_length_range_typed_in_the_osm_syntax_is_refused_next_to_the_field():
    data = {"opening_hours_mode": "advanced", "opening_hours_advanced": "Mo-Fr 09:00-12:00,14:00-14:00; Jul off"}
    form = HoursForm(data)
    assert form.errors["opening_hours"] == [
        "« 14:00-14:00 » ouvre et ferme à la même heure : indiquez l’heure de fermeture "
        "(pour toute la journée, 00:00-24:00)."
    ]
    assert 'value="Mo-Fr 09:00-12:00,14:00-14:00; Jul off"' in str(form["opening_hours"])
    assert errors_of({"opening_hours": "Mo 12:30-12:30"})[0].startswith("« 12:30-12:30 » ouvre et ferme")


def test_days_typed_with_a_space_after_the_comma_are_refused_next_to_the_field():
    data = {"opening_hours_mode": "advanced", "opening_hours_advanced": "Mo, We 10:00-12:00"}
    form = HoursForm(data)
    assert form.errors["opening_hours"] == [
        "Dans « Mo, We 10:00-12:00 », « Mo » est lu comme ouvert toute la journée : écrivez les jours sans espace "
        "après la virgule (« Mo,We 10:00-12:00 »)."
    ]
    assert 'value="Mo, We 10:00-12:00"' in str(form["opening_hours"])


def notices(html):
    found = re.search(r'<div class="opening-hours-notice" role="note"[^>]*>(.*?)</div>', html, re.S)
    return re.findall(r"<p>(.*?)</p>", found[1]) if found else []


def test_a_day_in_two_rules_says_which_one_wins_without_refusing():
    expression = "Mo-Fr 09:00-18:00; We 10:00-12:00"
    html = str(HoursForm(initial={"opening_hours": expression})["opening_hours"])
    assert [html_lib.unescape(n) for n in notices(html)] == [
        "Mercredi est dans deux règles, « Mo-Fr 09:00-18:00 » et « We 10:00-12:00 » : la dernière l’emporte ce "
        "jour-là. Pour ajouter des horaires à un jour, écrivez-les dans la même règle."
    ]
    # The per-day form shows what wins: Wednesday 10:00-12:00.
    assert 'id="id_opening_hours_we_opens_1" value="10:00"' in html
    typed = HoursForm({"opening_hours_mode": "advanced", "opening_hours_advanced": expression + "; Jul off"})
    assert typed.is_valid()
    assert notices(str(typed["opening_hours"]))


def test_rules_that_add_up_give_no_notice():
    html = str(HoursForm(initial={"opening_hours": "Mo-Fr 09:00-18:00; Sa 09:00-12:00; PH off"})["opening_hours"])
    assert notices(html) == []


def radios(html):
    """{radio id: checked} of the public holidays choice."""
    pattern = r'<input type="radio" name="opening_hours_ph_off" id="([^"]+)" value="\d"( checked)?'
    return {id_: bool(checked) for id_, checked in re.findall(pattern, html)}


@pytest.mark.parametrize(
    ("initial", "closed_on_holidays"),
    [
        ("", True),  # a new listing: closed, as most French shops are
        ("Mo-Fr 09:00-18:00; PH off", True),
        ("Mo-Fr 09:00-18:00", False),  # what the producer chose before: open on holidays as on other days
    ],
)
def test_public_holidays_are_an_explicit_choice_defaulting_to_the_previous_one(initial, closed_on_holidays):
    html = str(HoursForm(initial={"opening_hours": initial})["opening_hours"])
    assert radios(html) == {
        "id_opening_hours_ph_off": closed_on_holidays,
        "id_opening_hours_ph_off_open": not closed_on_holidays,
    }


def test_the_holiday_choice_is_written_and_kept_on_an_error():
    week = ("open", [("09:00", "18:00")])
    open_on_holidays = {**post(mo=week), "opening_hours_ph_off": "0"}
    form = HoursForm(open_on_holidays)
    assert form.is_valid() and form.cleaned_data["opening_hours"] == "Mo 09:00-18:00"
    closed = {**post(mo=week), "opening_hours_ph_off": "1"}
    form = HoursForm(closed)
    assert form.is_valid() and form.cleaned_data["opening_hours"] == "Mo 09:00-18:00; PH off"
    wrong = {**post(mo=("open", [("18:00", "09:00")])), "opening_hours_ph_off": "0"}
    form = HoursForm(wrong)
    assert not form.is_valid()
    assert radios(str(form["opening_hours"]))["id_opening_hours_ph_off_open"] is True


class SummaryHoursForm(ErrorSummaryMixin, HoursForm):
    pass


def test_the_error_summary_links_each_wrong_day_to_the_input_to_correct():
    """The summary used to link the whole week (the top of seven days on a phone) with "correct: sunday": each day's
    message now leads to the input it is about."""
    form = SummaryHoursForm(
        post(
            mo=("open", [("09:00", "12:00"), ("11:00", "18:00")]),
            tu=("open", [("09:00", "")]),
            we=("closed", [("09:00", "12:00")]),
            th=("open", []),
            fr=("open", [("25:00", "12:00")]),
            su=("open", [("18:00", "09:00")]),
        )
    )
    assert not form.is_valid()
    assert form.error_summary() == [
        ("id_opening_hours_mo_opens_2", "Lundi : les plages 1 et 2 se chevauchent."),
        ("id_opening_hours_tu_closes_1", "Mardi, plage 1 : indiquez l’heure d’ouverture et l’heure de fermeture."),
        (
            "id_opening_hours_we_state",
            "Mercredi : des horaires sont indiqués pour un jour fermé. Choisissez « ouvert » ou effacez-les.",
        ),
        (
            "id_opening_hours_th_opens_1",
            "Jeudi : indiquez au moins une plage horaire (00:00 – 00:00 pour toute la journée).",
        ),
        ("id_opening_hours_fr_opens_1", "Vendredi, plage 1 : « 25:00 » n’est pas une heure."),
        (
            "id_opening_hours_su_closes_1",
            "Dimanche, plage 1 : la fermeture doit être après l’ouverture. Pour une ouverture après minuit, ajoutez "
            "une plage le jour suivant.",
        ),
    ]


def test_hours_wrong_as_a_whole_keep_their_link_to_the_week():
    form = SummaryHoursForm({"opening_hours_mode": "advanced", "opening_hours_advanced": "bof"})
    assert not form.is_valid()
    assert [anchor for anchor, _message in form.error_summary()] == ["id_opening_hours_group"]
