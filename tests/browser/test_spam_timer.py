"""A producer whose browser fills the registration form in at once, on a phone: the form sent faster than the spam
timer allows comes back as typed, saying why, and goes through when sent again after a moment."""

import pytest
from playwright.sync_api import expect

from producers.models import Listing
from tests.factories import CategoryFactory, CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def phone_page(page, live_server, site_settings):
    site_settings.MODERATION_MIN_FILL_SECONDS = 3
    site_settings.CSRF_TRUSTED_ORIGINS = [live_server.url, live_server.url.replace("http://", "https://")]
    page.set_viewport_size({"width": 390, "height": 844})
    CommuneFactory()
    CategoryFactory(name="Légumes", slug="legumes")
    return page


def test_a_form_sent_too_fast_comes_back_filled_in_and_goes_once_sent_again(phone_page, live_server, fill_clock):
    page = phone_page
    page.goto(live_server.url + "/inscrire/")
    page.fill("#id_name", "Ferme de la Baumette")
    page.check('input[name="categories"][value="legumes"]')
    page.fill("#id_short_description", "Légumes de saison")
    page.fill("#id_commune", "Angers (49)")
    page.fill("#id_postal_code", "49000")
    page.fill("#id_email", "baumette@example.org")
    # At once, as after the browser's autofill: the spam timer's clock has not moved.
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer ma fiche").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.locator("li").first).to_contain_text("il a été envoyé trop vite")
    expect(page.locator("#id_name")).to_have_value("Ferme de la Baumette")
    expect(page.locator("#id_short_description")).to_have_value("Légumes de saison")
    expect(page.locator("#id_email")).to_have_value("baumette@example.org")
    expect(page.locator('input[name="categories"][value="legumes"]')).to_be_checked()
    assert not Listing.objects.exists()

    # The producer reads the message and sends the form again.
    fill_clock.wait(5)
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer ma fiche").click()
    assert page.url.endswith("/inscrire/merci/"), page.locator("[data-error-summary]").all_inner_texts()
    listing = Listing.objects.get()
    assert (listing.name, listing.email) == ("Ferme de la Baumette", "baumette@example.org")
    assert page.errors == []
