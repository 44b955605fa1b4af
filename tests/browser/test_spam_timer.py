"""A producer whose browser fills the registration form in at once, on a phone: the form sent faster than the spam
timer allows comes back as typed, saying why, and goes through when sent again after a moment."""

import pytest
from playwright.sync_api import expect

from producers.models import Listing

from .registration import fill_in, on_a_phone, send

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def phone_page(page, live_server, site_settings):
    return on_a_phone(page, live_server, site_settings, min_fill_seconds=3)


def test_a_form_sent_too_fast_comes_back_filled_in_and_goes_once_sent_again(phone_page, live_server, fill_clock):
    page = phone_page
    page.goto(live_server.url + "/inscrire/")
    fill_in(page, short_description="Légumes de saison", commune="Angers (49)", postal_code="49000")
    # At once, as after the browser's autofill: the spam timer's clock has not moved.
    send(page)

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
    send(page)
    assert page.url.endswith("/inscrire/merci/"), page.locator("[data-error-summary]").all_inner_texts()
    listing = Listing.objects.get()
    assert (listing.name, listing.email) == ("Ferme de la Baumette", "baumette@example.org")
    assert page.errors == []
