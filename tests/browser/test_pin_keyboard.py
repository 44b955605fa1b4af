"""The registration form's pin without a mouse: the arrow keys move it (Shift: bigger steps) and say where it is;
typed coordinates move it too."""

import pytest
from playwright.sync_api import expect

from tests.factories import CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

MARKER = ".pin-map .leaflet-marker-icon"


def point(page):
    return tuple(float(page.input_value(f"#id_{name}").replace(",", ".")) for name in ("latitude", "longitude"))


def test_the_pin_moves_with_the_arrow_keys_and_follows_typed_coordinates(page, live_server, site_settings):
    CommuneFactory()
    assert page.goto(live_server.url + "/inscrire/").ok
    page.wait_for_selector('.pin-map[data-pin-state="ready"]')
    pin_map = page.locator(".pin-map")

    page.fill("#id_latitude", "47,4700")
    page.fill("#id_longitude", "-0.5500")
    page.locator("#id_longitude").press("Tab")
    expect(pin_map).to_have_attribute("data-pin-lat", "47.470000")
    expect(pin_map).to_have_attribute("data-pin-lon", "-0.550000")

    marker = page.locator(MARKER)
    marker.focus()
    expect(marker).to_be_focused()
    start = point(page)
    page.keyboard.press("ArrowRight")
    east = point(page)
    assert east[1] > start[1] and east[0] == pytest.approx(start[0], abs=1e-5)
    expect(page.locator("[data-pin-status]")).to_contain_text("Repère déplacé : latitude 47,47000")
    small_step = east[1] - start[1]

    page.keyboard.press("Shift+ArrowRight")
    further = point(page)
    assert further[1] - east[1] == pytest.approx(10 * small_step, rel=0.05)
    page.keyboard.press("Shift+ArrowUp")
    north = point(page)
    assert north[0] > further[0] and north[1] == further[1]
    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert point(page) == pytest.approx(start, abs=1e-5)
    expect(page.locator("[data-pin-status]")).to_contain_text("longitude -0,55000")
    # The page did not scroll with the arrows: the marker kept the keys.
    expect(marker).to_be_focused()

    # A typed value that is not a coordinate leaves the pin where it is.
    before = (pin_map.get_attribute("data-pin-lat"), pin_map.get_attribute("data-pin-lon"))
    page.fill("#id_latitude", "quatre-vingt-quinze")
    page.locator("#id_latitude").press("Tab")
    assert (pin_map.get_attribute("data-pin-lat"), pin_map.get_attribute("data-pin-lon")) == before
    assert page.errors == []
