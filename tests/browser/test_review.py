"""A volunteer reviews and rejects a listing with the keyboard only and JavaScript off: the review reads like the
listing, and rejecting goes through a confirmation page."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from producers.models import Listing
from tests.browser import TIMEOUT_MS
from tests.factories import CategoryFactory, CommuneFactory, ListingFactory

from .test_submission import PASSWORD, volunteer  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def no_js_page(browser, live_server, site_settings):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    server = urlsplit(live_server.url).netloc

    def route(route):
        if urlsplit(route.request.url).netloc == server:
            route.continue_(headers={**route.request.headers, "x-forwarded-proto": "https"})
        else:
            route.abort()

    page.route("**/*", route)
    yield page
    context.close()


def test_review_and_reject_with_the_keyboard_without_javascript(no_js_page, live_server, volunteer):  # noqa: F811
    page = no_js_page
    listing = ListingFactory(
        name="Ferme du Vallon",
        status=Listing.Status.PENDING,
        commune=CommuneFactory(),
        phone="+33241000000",
        opening_hours="Mo-Fr 09:00-12:00",
        categories=[CategoryFactory(name="Légumes", slug="legumes")],
    )
    page.goto(live_server.url + reverse("admin:moderation_review", args=["listing", listing.pk]))
    page.fill("#id_username", "camille")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#site-name")).to_contain_text("espace bénévoles")
    content = page.locator("#content")
    expect(content).to_contain_text("Du lundi au vendredi : 9 h – 12 h")
    expect(content).to_contain_text("02 41 00 00 00")

    page.locator("#id_reason").focus()
    page.keyboard.type("Ce n’est pas une activité locale.")
    page.keyboard.press("Tab")  # "Ask for changes"
    page.keyboard.press("Tab")  # "Reject…"
    expect(page.locator(":focus")).to_have_text("Refuser…")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#content")).to_contain_text("Ce n’est pas une activité locale.")
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PENDING  # nothing until confirmed

    page.get_by_role("button", name="Oui, refuser").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Refuser")
    listing.refresh_from_db()
    assert listing.status == Listing.Status.REJECTED
