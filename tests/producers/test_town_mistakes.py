"""Mistakes shoppers and producers make typing a town, on the real committed place files: none may lead silently to
another town than the one meant, nor to nothing when the town is known."""

import pytest

from producers import towns
from producers.models import Department
from producers.towns import names
from tests.producers.test_towns import place, places  # noqa: F401 (the module's places, loaded once)

pytestmark = pytest.mark.django_db


def labels(text, **kwargs):
    resolution = towns.resolve(text, **kwargs)
    assert resolution.place is None, resolution.place.label
    return [p.label for p in resolution.choices]


@pytest.mark.parametrize("typed", ["Sanit Omer", "sanit-omer", "sain omer", "Sant-Omer", "St Omer", "st-omer"])
def test_a_misspelt_or_shortened_saint_is_read_as_the_name_spelt_right(typed):
    # Two Saint-Omer: asked about as "Saint-Omer" is, never the bigger one taken silently.
    assert labels(typed) == labels("Saint-Omer")
    assert labels(typed)[:2] == ["Saint-Omer (62)", "Saint-Omer (14)"]
    assert place(typed, department=Department.objects.get(code="14")).label == "Saint-Omer (14)"


@pytest.mark.parametrize("typed", ["Ste Maxime", "Ste-Maxime", "Sainet-Maxime", "Snite Maxime", "Sainte Maxime"])
def test_sainte_too(typed):
    assert place(typed).label == "Sainte-Maxime (83)"


def test_names_of_their_own_close_to_saint_stay_themselves():
    assert place("Saintes").label == "Saintes (17)"
    assert place("Sant'Andréa-d'Orcino").label == "Sant'Andréa-d'Orcino (2A)"


def test_the_suggestions_read_a_misspelt_saint_being_typed():
    assert "Saint-Omer (62)" in [p.label for p in towns.suggest("sanit om")]


def test_a_name_that_begins_other_names_is_no_misspelt_saint():
    # "Saints" is one typo from "Saint", but begins Saints-Geosmes: offered, as the suggestions do.
    assert "Saints-Geosmes (52)" in labels("Saints")
    assert "Saints-Geosmes (52)" in [p.label for p in towns.suggest("Saints")]


def test_a_word_as_close_to_saint_as_to_sainte_gives_both_readings():
    assert list(names.saint_spellings("saine omer")) == ["saint omer", "sainte omer"]
    both = ["saint saint", "saint sainte", "sainte saint", "sainte sainte"]
    assert list(names.saint_spellings("saine saine")) == both
    assert list(names.saint_spellings("angers")) == []


@pytest.mark.parametrize("call", [towns.resolve, towns.suggest])
def test_many_words_close_to_saint_are_read_a_few_ways_only(monkeypatch, call):
    # Each word as close to "saint" as to "sainte" doubled the readings tried: 65,536 look-ups for 96 characters, on
    # each keystroke of the autocomplete. The readings looked up (the names with a Saint spelt right) are counted.
    looked_up = []
    exact = names._Index.exact
    monkeypatch.setattr(names._Index, "exact", lambda idx, key: looked_up.append(key) or exact(idx, key))
    call("saine " * 16)
    respelt = [key for key in looked_up if "saint" in key]
    assert 1 <= len(respelt) <= names.MAX_SAINT_READINGS
    assert len(list(names.saint_spellings("saine " * 16))) == names.MAX_SAINT_READINGS


def test_a_misspelt_name_with_homonyms_offers_them_all():
    assert labels("Valance")[:3] == ["Valence (26)", "Valence (82)", "Valence (16)"]


@pytest.mark.parametrize(
    ("typed", "likelier"),
    [
        ("Aix", "Aix-en-Provence (13)"),
        ("Evry", "Évry-Courcouronnes (91)"),
        ("Boulogne", "Boulogne-Billancourt (92)"),
        ("Charleville", "Charleville-Mézières (08)"),
    ],
)
def test_a_village_s_name_that_begins_a_bigger_town_s_offers_both(typed, likelier):
    choices = labels(typed)
    assert likelier in choices
    assert choices[0] != likelier  # the name as typed first


@pytest.mark.parametrize("typed", ["Le Cannet", "Angers", "Paris", "Rennes", "Saint-Malo", "Cannet des Maures"])
def test_a_town_bigger_than_the_names_it_begins_is_taken_at_once(typed):
    assert place(typed)


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("Angers (49000)", "Angers (49)"),
        ("Saint-Omer (14220)", "Saint-Omer (14)"),
        ("Nice 06", "Nice (06)"),
        ("Saint-Omer, 62", "Saint-Omer (62)"),
        ("Paris 15", "Paris 15e Arrondissement (75)"),  # an arrondissement, not a department
    ],
)
def test_a_postal_code_in_brackets_or_a_department_s_code_after_the_name(typed, label):
    assert place(typed).label == label
