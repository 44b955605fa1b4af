"""A volunteer opens the queue on a phone, with the keyboard: every item is reached by its name without scrolling the
page sideways, and its link says which item it opens."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from producers.models import Listing
from tests.factories import CommuneFactory, ListingFactory

from .registration import PHONE
from .test_submission import PASSWORD, visit, volunteer  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_each_item_of_the_queue_is_reached_by_its_name_on_a_phone(page, live_server, volunteer):  # noqa: F811
    town = CommuneFactory(name="Saint-Rémy-de-Provence")
    names = ["Herboristerie du Beau Chêne", "Poissonnerie Guérin"]
    listings = [ListingFactory(name=name, status=Listing.Status.PENDING, commune=town) for name in names]
    page.set_viewport_size(PHONE)
    visit(page, live_server.url + reverse("admin:moderation_queue"))
    page.fill("#id_username", "camille")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The admin's header fits the phone: so does the queue, rather than widening the whole page.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for listing in listings:
        link = page.locator("#listings + .queue-table").get_by_role("link", name=listing.name)
        link.focus()
        box = link.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"], (listing.name, box)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(reverse("admin:moderation_review", args=["listing", listings[-1].pk]))
    expect(page.locator("h1")).to_contain_text("Poissonnerie Guérin")
