"""On a phone, with the keyboard: the focused control's ring shows all round it, so a shopper tabbing through the
department page sees where they are (WCAG 2.4.7, and 2.4.11: the focus is not hidden)."""

import pytest
from PIL import Image
from playwright.sync_api import expect

from .registration import PHONE
from .test_department_map import (
    maine_et_loire,  # noqa: F401 (the fixture)
    visit,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

FOCUS = (0xFF, 0xBF, 0x47)  # site.css's --focus


def ring_sides(page, locator, tmp_path):
    """Which sides of the element (top, right, bottom, left) show the focus colour just outside its box."""
    box = locator.bounding_box()
    path = tmp_path / "focus.png"
    page.screenshot(path=path)
    image = Image.open(path).convert("RGB")
    left, top = round(box["x"]), round(box["y"])
    right, bottom = round(box["x"] + box["width"]), round(box["y"] + box["height"])

    def shows(points):
        # Near the colour: a rounded end is drawn with anti-aliased pixels.
        near = [max(abs(a - b) for a, b in zip(image.getpixel(point), FOCUS, strict=True)) < 48 for point in points]
        return sum(near) >= len(points) // 3

    # Across each side's middle, the band from the box's edge to the ring's outer edge (3 px outline, 2 px away):
    # a rounded end meets its box only at its middle.
    band, middle_x, middle_y = range(1, 6), (left + right) // 2, (top + bottom) // 2
    return {
        "top": shows([(x, top - d) for x in range(middle_x - 4, middle_x + 4) for d in band]) or None,
        "right": shows([(right - 1 + d, y) for y in range(middle_y - 2, middle_y + 2) for d in band]) or None,
        "bottom": shows([(x, bottom - 1 + d) for x in range(middle_x - 4, middle_x + 4) for d in band]) or None,
        "left": shows([(left - d, y) for y in range(middle_y - 2, middle_y + 2) for d in band]) or None,
    }


def test_the_list_and_map_buttons_show_their_focus_all_round(page, live_server, maine_et_loire, tmp_path):  # noqa: F811
    department, _listings = maine_et_loire
    page.set_viewport_size(PHONE)
    visit(page, live_server.url + department.get_absolute_url())
    for name in ("Liste", "Carte"):
        button = page.get_by_role("group", name="Afficher les résultats en").get_by_role("button", name=name)
        expect(button).to_be_visible()
        # Tab to the button, as a keyboard user does: the ring is drawn for :focus-visible.
        page.locator("body").focus()
        for _ in range(60):
            page.keyboard.press("Tab")
            if button.evaluate("element => element === document.activeElement"):
                break
        else:
            pytest.fail(f"{name} is never reached with Tab")
        sides = ring_sides(page, button, tmp_path)
        assert sides == {"top": True, "right": True, "bottom": True, "left": True}, name
