"""Listing cards are rendered once and reused (producers.cards), yet always say what is true now: the listing as
last saved, the distance from the town searched, the opening hours at this minute, in the page's language."""

import datetime
import pickle

import pytest
from django.test import Client
from django.utils import timezone

from localdir.cache import cached_data
from producers.hours import PARIS
from producers.models import Category
from producers.views import _latest_listings
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def card_of(html, name):
    start = html.index(name)
    return html[html.rindex('<li class="card">', 0, start) : html.index("</li>", start)]


def department_page(department, **query):
    response = Client().get(department.get_absolute_url(), query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_renamed_listing_shows_its_new_name_at_once(towns, maine_et_loire, django_capture_on_commit_callbacks):
    listing = ListingFactory(name="Ferme du Chêne", short_description="Fromages de chèvre")
    assert "Fromages de chèvre" in card_of(department_page(maine_et_loire), "Ferme du Chêne")
    with django_capture_on_commit_callbacks(execute=True):
        listing.name = "Ferme des Chênes"
        listing.short_description = "Fromages de brebis"
        listing.save()
    html = department_page(maine_et_loire)
    assert "Ferme du Chêne<" not in html
    assert "Fromages de brebis" in card_of(html, "Ferme des Chênes")


def test_a_renamed_category_shows_on_the_cards(towns, maine_et_loire, django_capture_on_commit_callbacks):
    ListingFactory(name="Rucher du Loir", categories=[Category.objects.get(slug="miel")])
    assert "Miel et produits de la ruche" in card_of(department_page(maine_et_loire), "Rucher du Loir")
    with django_capture_on_commit_callbacks(execute=True):
        honey = Category.objects.get(slug="miel")
        honey.name = "Miels"
        honey.save()
    assert '<span class="tag">Miels</span>' in card_of(department_page(maine_et_loire), "Rucher du Loir")


def test_each_search_shows_its_own_distance(towns, maine_et_loire):
    ListingFactory(name="Ferme du Chêne", commune=towns["avrille"])
    from_angers = card_of(department_page(maine_et_loire, commune="Angers", distance="10"), "Ferme du Chêne")
    from_avrille = card_of(department_page(maine_et_loire, commune="Avrillé", distance="10"), "Ferme du Chêne")
    assert ">4,8\xa0km<" in from_angers
    assert ">0,0\xa0km<" in from_avrille
    assert "km" not in card_of(department_page(maine_et_loire), "Ferme du Chêne")


@pytest.mark.parametrize(
    "labels",
    [
        {(2026, 1, 12, 8, 59): "Ouvre aujourd’hui à 9 h", (2026, 1, 12, 9, 1): "Ouvert maintenant · ferme à 18 h"},
        # Every closed state is false (OpeningStatus.__bool__): each label must still be a card of its own.
        {(2026, 1, 10, 10, 0): "Fermé · ouvre lundi à 9 h", (2026, 1, 11, 10, 0): "Fermé · ouvre demain à 9 h"},
    ],
    ids=["opening-monday", "closed-over-the-weekend"],
)
def test_the_opening_hours_follow_the_clock(towns, maine_et_loire, monkeypatch, labels):
    ListingFactory(name="Ferme du Chêne", opening_hours="Mo-Fr 09:00-18:00")
    for moment, label in labels.items():
        monkeypatch.setattr(timezone, "now", lambda moment=moment: datetime.datetime(*moment, tzinfo=PARIS))
        assert label in card_of(department_page(maine_et_loire), "Ferme du Chêne")


def test_cards_speak_the_page_language(towns, maine_et_loire):
    ListingFactory(name="Ferme du Chêne", categories=[Category.objects.get(slug="miel")])
    assert "Producteur" in card_of(department_page(maine_et_loire), "Ferme du Chêne")
    html = Client().get("/en" + maine_et_loire.get_absolute_url()).content.decode()
    card = card_of(html, "Ferme du Chêne")
    assert "Producer" in card
    assert "Honey" in card
    assert 'href="/en/activites/' in card


def test_the_home_page_cards_name_the_department(towns, maine_et_loire):
    ListingFactory(name="Ferme du Chêne")
    assert "Angers (49)" in card_of(Client().get("/").content.decode(), "Ferme du Chêne")
    assert "Angers (49)" not in card_of(department_page(maine_et_loire), "Ferme du Chêne")


def test_the_home_page_leaves_the_shared_latest_listings_as_they_are(towns, maine_et_loire):
    """Home's latest listings are shared by the requests of a process (cached_data): rendering their cards, in
    French and in English, must not change them (no categories fetched onto them, no attribute added or dropped)."""
    miel = Category.objects.get(slug="miel")
    for name in ["Ferme du Chêne", "Rucher du Lac", "Verger des Aulnes"]:
        ListingFactory(name=name, categories=[miel])
    shared = cached_data("home.latest", _latest_listings)
    before = [(sorted(vars(listing)), sorted(listing._state.fields_cache), pickle.dumps(listing)) for listing in shared]
    assert all(fields_cache == ["commune"] for _, fields_cache, _ in before)
    french = Client().get("/").content.decode()
    english = Client().get("/en/").content.decode()
    assert "Miel et produits de la ruche" in card_of(french, "Rucher du Lac")
    assert "Honey" in card_of(english, "Rucher du Lac")
    assert cached_data("home.latest", _latest_listings) is shared  # the pages were made from these
    after = [(sorted(vars(listing)), sorted(listing._state.fields_cache), pickle.dumps(listing)) for listing in shared]
    assert after == before
