"""The API's documentation page in a real browser: Swagger UI from our own static files (no CDN), under the site's
Content-Security-Policy, and a request tried from it."""

import pytest
from playwright.sync_api import expect

from tests.factories import ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_the_documentation_page_shows_every_endpoint_and_tries_one(page, live_server, angers):
    ListingFactory(name="Ferme des Ardoises", commune=angers)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.get_by_role("heading", name="localdir API")).to_be_visible()
    listings = page.locator("#operations-listings-producers_api_listings_listing_list")
    expect(listings).to_be_visible()
    expect(page.get_by_text("/api/v1/map", exact=True)).to_be_visible()
    listings.locator(".opblock-summary-control").click()
    listings.get_by_role("button", name="Try it out").click()
    listings.get_by_role("button", name="Execute").click()
    expect(listings.locator(".response .microlight").first).to_contain_text("Ferme des Ardoises")
    assert page.external_requests == []
    assert page.errors == []
