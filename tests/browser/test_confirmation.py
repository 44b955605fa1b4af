"""The yearly "is your listing still correct?" email, followed on a 390 px phone: the link opens a page, the button
confirms, the listing is back with today's date."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from moderation import freshness
from producers.models import Listing
from tests.factories import CommuneFactory, ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_the_email_link_then_the_button_brings_a_hidden_listing_back(page, live_server, clock):
    listing = ListingFactory(name="Ferme du Lac", email="lac@example.org", commune=CommuneFactory())
    for days in (365, 30, 30):
        clock.travel(days=days)
        freshness.run()
    listing.refresh_from_db()
    assert listing.status == Listing.Status.UNCONFIRMED
    hidden_mail = mail.outbox[-1]
    link = re.search(r"https?://\S+/modifier/\S+/confirmer/", hidden_mail.body)[0]

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + urlsplit(link).path)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ferme du Lac")
    button = page.get_by_role("button", name="Oui, rien n’a changé")
    expect(button).to_be_visible()
    # Opening the link, as a mail scanner does, changed nothing.
    listing.refresh_from_db()
    assert listing.status == Listing.Status.UNCONFIRMED
    # The button fits the phone's width.
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390

    button.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci !")
    expect(page.locator("main")).to_contain_text("Informations vérifiées le 30 avril 2027")
    expect(page.locator("main")).to_contain_text("de retour dans l’annuaire")
    listing.refresh_from_db()
    assert (listing.status, listing.confirmed_at) == (Listing.Status.PUBLISHED, clock.now)

    page.get_by_role("link", name="Voir ma fiche").click()
    expect(page.locator(".listing__footer")).to_contain_text("Informations vérifiées le 30 avril 2027.")
    assert not page.external_requests and not page.errors
