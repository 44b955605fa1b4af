"""The private link open in two tabs of a phone, both forms sent: the second tab is told, with the focus on the
message, instead of silently undoing the first; what it typed is still there to send again."""

import pytest
from playwright.sync_api import expect

from moderation.models import EditToken
from producers.models import Listing
from tests.factories import CategoryFactory, CommuneFactory, ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_the_second_tab_is_told_and_keeps_what_it_typed(page, live_server, site_settings):
    site_settings.MODERATION_MIN_FILL_SECONDS = 0
    site_settings.CSRF_TRUSTED_ORIGINS = [live_server.url, live_server.url.replace("http://", "https://")]
    CommuneFactory()
    listing = ListingFactory(
        status=Listing.Status.PENDING,
        name="Ferme du Lac",
        email="lac@example.org",
        categories=[CategoryFactory(name="Légumes", slug="legumes")],
    )
    link = f"{live_server.url}/modifier/{EditToken.issue(listing)}/"
    page.set_viewport_size({"width": 390, "height": 844})
    second = page.context.new_page()
    second.route("**/*", lambda route: route.continue_(headers={**route.request.headers, "x-forwarded-proto": "https"}))
    page.goto(link)
    second.goto(link)

    page.fill("#id_short_description", "Œufs et légumes du lac")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer mes modifications").click()
    expect(page.get_by_role("heading", name="Vos modifications sont enregistrées")).to_be_visible()

    second.fill("#id_phone", "02 41 99 99 99")
    with second.expect_navigation():
        second.get_by_role("button", name="Enregistrer mes modifications").click()
    summary = second.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("modifiée dans un autre onglet ou une autre fenêtre")
    expect(second.locator("#id_phone")).to_have_value("02 41 99 99 99")
    listing.refresh_from_db()
    assert (listing.short_description, str(listing.phone)) == ("Œufs et légumes du lac", "")

    with second.expect_navigation():
        second.get_by_role("button", name="Enregistrer mes modifications").click()
    expect(second.get_by_role("heading", name="Vos modifications sont enregistrées")).to_be_visible()
    listing.refresh_from_db()
    assert str(listing.phone) == "02 41 99 99 99"
    assert page.errors == []
