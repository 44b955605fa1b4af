"""The department page on a 390 px phone: results first, folded filters, a list/map switch; and without JavaScript."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser import TIMEOUT_MS
from tests.browser.test_department_map import (
    MAP,
    maine_et_loire,  # noqa: F401 (a fixture, used below)
    open_a_marker_popup,
    visit,
    wait_for_map,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def directory(request):
    """The map tests' department: 30 listings in three towns, one pending, one in the next department."""
    return request.getfixturevalue("maine_et_loire")


@pytest.fixture
def phone(browser, page):
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture
def phone_without_javascript(browser, live_server, site_settings):
    context = browser.new_context(locale="fr-FR", viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def test_results_come_first_and_the_map_is_one_tap_away(phone, live_server, directory):
    page = phone
    department, listings = directory
    visit(page, live_server.url + department.get_absolute_url())

    first_card = page.locator(".directory-list .card").first
    expect(first_card).to_be_visible()
    box = first_card.bounding_box()
    assert box["y"] + 60 < PHONE["height"], f"the first result starts {box['y']:.0f} px down"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"

    # The filters are folded behind their summary, one tap away.
    town = page.locator('form.filters [name="commune"]')
    expect(town).to_be_hidden()
    page.locator(".filters-panel__summary").click()
    expect(town).to_be_visible()

    # The map waits behind the switch; "Carte" shows it (and only then loads it), "Liste" brings the list back.
    map_ = page.locator(MAP)
    expect(map_).to_be_hidden()
    expect(map_).to_have_attribute("data-map-state", "waiting")
    switch = page.get_by_role("group", name="Afficher les résultats en")
    switch.get_by_role("button", name="Carte").click()
    wait_for_map(page)
    expect(map_).to_be_visible()
    expect(first_card).to_be_hidden()
    expect(switch.get_by_role("button", name="Carte")).to_have_attribute("aria-pressed", "true")
    assert map_.bounding_box()["width"] >= PHONE["width"] - 40

    # Leaflet speaks French, and clusters are named for what they hold.
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Zoomer")
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "Dézoomer")
    expect(page.get_by_role("button", name=re.compile(r"^\d+ activités$")).first).to_be_visible()

    # The popup gives the same status as the listing's card.
    name = open_a_marker_popup(page)
    popup_status = page.locator(".leaflet-popup-content .map-popup-status").inner_text()
    switch.get_by_role("button", name="Liste").click()
    expect(first_card).to_be_visible()
    expect(map_).to_be_hidden()
    card = page.locator(".directory-list .card").filter(has=page.get_by_role("link", name=name, exact=True))
    if card.count():  # on the first page of the list
        expect(card.locator(".open-state")).to_have_text(popup_status)
    else:
        assert popup_status
    assert page.errors == []


def test_a_search_leaves_a_clean_url(phone, live_server, directory):
    page = phone
    department, listings = directory
    visit(page, live_server.url + department.get_absolute_url())
    page.locator(".filters-panel__summary").click()
    page.locator('form.filters [name="commune"]').fill("Cholet")
    with page.expect_navigation():
        page.get_by_role("button", name="Afficher", exact=True).click()
    assert urlsplit(page.url).query == "commune=Cholet"
    expect(page.locator(".filters-panel__count")).to_have_text("1 actif")
    expect(page.locator(".directory-list .card")).to_have_count(len(listings["cholet"]))


def test_without_javascript_the_list_is_there_and_urls_stay_clean(phone_without_javascript, live_server, directory):
    page = phone_without_javascript
    department, listings = directory
    visit(page, live_server.url + department.get_absolute_url())

    expect(page.locator(".view-switch")).to_be_hidden()
    expect(page.locator(".listing-map__fallback")).to_have_text(
        "La carte a besoin de JavaScript. La liste présente les mêmes résultats."
    )
    # The folded panel opens without a script, and the server cleans the submitted URL.
    page.locator(".filters-panel__summary").click()
    page.locator('form.filters [name="commune"]').fill("Cholet")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Afficher", exact=True).click()
    assert navigation.value.ok
    assert urlsplit(page.url).query == "commune=Cholet"
    expect(page.locator(".directory-list .card")).to_have_count(len(listings["cholet"]))


def test_without_javascript_a_listing_map_says_where_to_look(phone_without_javascript, live_server, directory):
    """The listing's small map was an empty grey box without JavaScript: it says so, and the link below it opens the
    place on OpenStreetMap."""
    page = phone_without_javascript
    _, listings = directory
    visit(page, live_server.url + listings["angers"][0].get_absolute_url())

    expect(page.locator(".listing-map--small .listing-map__fallback")).to_have_text(
        "La carte a besoin de JavaScript. Le lien ci-dessous montre ce lieu sur OpenStreetMap."
    )
    expect(page.get_by_role("link", name="Ouvrir dans OpenStreetMap")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
