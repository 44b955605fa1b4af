"""Delivery modes in the public form: each ticked mode keeps its optional details, on registration and on edit."""

import re

import pytest

from moderation.models import EditToken, Revision
from producers.models import Listing
from tests.factories import ListingFactory, delivery_mode

from .test_edit_link import edit_url, form_data

pytestmark = pytest.mark.django_db

MARKET = "marché du samedi à Angers"


def deliveries(listing):
    return [(d.mode.code, d.details) for d in listing.deliveries.select_related("mode")]


@pytest.fixture
def with_market(angers, category):
    listing = ListingFactory(name="Ferme du Lac", email="lac@example.org", categories=[category])
    listing.deliveries.create(mode=delivery_mode("markets"), details=MARKET)
    listing.deliveries.create(mode=delivery_mode("on-site"))
    return listing


def test_registration_keeps_the_details_of_each_ticked_mode(client, submission):
    data = {**submission, "delivery_modes": ["on-site", "markets"], "delivery_details_markets": MARKET}
    assert client.post("/inscrire/", data).status_code == 302
    assert deliveries(Listing.objects.get()) == [("on-site", ""), ("markets", MARKET)]


def test_the_form_shows_a_details_box_beside_each_mode(client, angers):
    html = client.get("/inscrire/").content.decode()
    assert 'name="delivery_details_markets"' in html
    assert 'data-mode="markets"' in html


def test_details_of_an_unticked_mode_are_refused_not_dropped(client, submission):
    response = client.post("/inscrire/", {**submission, "delivery_details_markets": MARKET})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["delivery_details_markets"]
    assert f'value="{MARKET}"' in response.content.decode()
    assert not Listing.objects.exists()


def test_too_long_details_are_refused_next_to_their_mode(client, submission):
    data = {**submission, "delivery_modes": ["markets"], "delivery_details_markets": "x" * 201}
    response = client.post("/inscrire/", data)
    assert list(response.context["form"].errors) == ["delivery_details_markets"]


def test_the_edit_link_shows_the_details(client, with_market):
    html = client.get(edit_url(EditToken.issue(with_market))).content.decode()
    assert f'value="{MARKET}"' in html
    assert re.search(r'<input type="checkbox" name="delivery_modes" value="markets"[^>]* checked>', html)
    assert not re.search(r'<input type="checkbox" name="delivery_modes" value="shipping"[^>]* checked>', html)


def test_editing_a_pending_listing_keeps_the_details(client, with_market):
    with_market.status = Listing.Status.PENDING
    with_market.save()
    token = EditToken.issue(with_market)
    data = form_data(
        with_market, name="Ferme du Lac Bleu", delivery_modes=["on-site", "markets"], delivery_details_markets=MARKET
    )
    response = client.post(edit_url(token), data)
    assert response.status_code == 200, response.context["form"].errors
    with_market.refresh_from_db()
    assert with_market.name == "Ferme du Lac Bleu"
    assert deliveries(with_market) == [("on-site", ""), ("markets", MARKET)]


def test_a_revision_carries_changed_details_and_applies_them(client, with_market, moderator):
    token = EditToken.issue(with_market)
    data = form_data(
        with_market,
        delivery_modes=["markets", "home-delivery"],
        delivery_details_markets="marché du mercredi à Cholet",
    )
    assert client.post(edit_url(token), data).status_code == 200
    revision = Revision.objects.get()
    assert deliveries(with_market) == [("on-site", ""), ("markets", MARKET)]
    revision.approve(by=moderator)
    assert deliveries(with_market) == [("home-delivery", ""), ("markets", "marché du mercredi à Cholet")]


def test_unticking_a_mode_removes_it(client, with_market):
    with_market.status = Listing.Status.PENDING
    with_market.save()
    token = EditToken.issue(with_market)
    client.post(edit_url(token), form_data(with_market, delivery_modes=["on-site"]))
    assert deliveries(with_market) == [("on-site", "")]


def test_on_the_markets_ticked_without_a_market_is_asked_for_one_next_to_the_markets(client, submission):
    """Neither a market of the directory nor one written in the details: the listing would say "on the markets"
    and never which one. The message is beside the markets' rows and everything typed stays."""
    data = {**submission, "delivery_modes": ["on-site", "markets"], "description": "Fromages de chèvre."}
    response = client.post("/inscrire/", data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["markets_1"]
    page = response.content.decode()
    assert "Indiquez au moins un marché où vous vendez, ou décochez « Sur les marchés »" in page
    assert 'href="#id_markets_1"' in page  # the error summary leads to the first row
    assert "Fromages de chèvre." in page
    assert re.search(r'<input type="checkbox" name="delivery_modes" value="markets"[^>]* checked>', page)
    assert not Listing.objects.exists()


def test_on_the_markets_with_a_market_not_in_the_directory_written_in_its_details_is_accepted(client, submission):
    data = {**submission, "delivery_modes": ["markets"], "delivery_details_markets": MARKET}
    assert client.post("/inscrire/", data).status_code == 302


def test_an_unknown_market_typed_in_a_row_gets_only_its_own_message(client, submission):
    data = {**submission, "delivery_modes": ["markets"], "markets_1": "Marché de Trifouillis"}
    response = client.post("/inscrire/", data)
    errors = response.context["form"].errors["markets_1"]
    assert len(errors) == 1 and "Trifouillis" in errors[0]
