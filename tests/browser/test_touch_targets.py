"""Checkboxes on a 390 px phone: each is a target of 24 x 24 CSS px at least (WCAG 2.5.8), in the sign-up form and in
the directory's filters."""

import pytest
from playwright.sync_api import expect

from producers.models import DeliveryMode
from tests.factories import CategoryFactory, CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

MINIMUM = 24


def small_checkboxes(page):
    """(name, width, height) of the visible checkboxes smaller than MINIMUM px either way."""
    small = []
    for checkbox in page.locator("input[type=checkbox]").all():
        if not checkbox.is_visible():
            continue
        box = checkbox.bounding_box()
        if box["width"] < MINIMUM or box["height"] < MINIMUM:
            small.append((checkbox.get_attribute("name"), box["width"], box["height"]))
    return small


def test_checkboxes_are_big_enough_to_tap_on_a_phone(page, live_server):
    angers = CommuneFactory()
    CategoryFactory(name="Légumes", slug="legumes")
    DeliveryMode.objects.get_or_create(code="markets", defaults={"name": "Sur les marchés", "position": 4})
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/inscrire/")
    legumes = page.get_by_role("checkbox", name="Légumes", exact=True)
    expect(legumes).to_be_visible()
    assert page.locator("input[type=checkbox]:visible").count() >= 3  # categories, delivery modes, image rights
    assert small_checkboxes(page) == []
    legumes.click()  # its box is the target: a tap on it ticks it
    expect(legumes).to_be_checked()

    page.goto(f"{live_server.url}{angers.department.get_absolute_url()}")
    filters = page.locator("details.filters-panel")
    if filters.get_attribute("open") is None:
        filters.locator("summary").click()
    open_now = page.get_by_role("checkbox", name="Ouvert maintenant")
    expect(open_now).to_be_visible()
    assert small_checkboxes(page) == []
    assert not page.errors
