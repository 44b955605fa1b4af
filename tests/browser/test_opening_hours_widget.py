"""The opening hours widget on a phone (390 × 844): folded closed days, one range then "add a range", copies, and a
day set back to "closed" losing its times and its message. Keyboard only, except for typing the times."""

import pytest
from playwright.sync_api import expect

from tests.factories import CategoryFactory, CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE = {"width": 390, "height": 844}
DAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")


@pytest.fixture
def form_page(page, live_server, site_settings):
    CommuneFactory()
    CategoryFactory(name="Légumes", slug="legumes")
    site_settings.MODERATION_MIN_FILL_SECONDS = 0
    site_settings.CSRF_TRUSTED_ORIGINS = [live_server.url, live_server.url.replace("http://", "https://")]
    page.set_viewport_size(PHONE)
    response = page.goto(live_server.url + "/inscrire/")
    assert response.ok
    return page


def day(page, code):
    return page.locator(f"fieldset:has(#id_opening_hours_{code}_state)")


def times(page, code):
    """[(opens, closes)] of a day's three ranges, hidden or not."""
    return [
        (
            page.input_value(f"#id_opening_hours_{code}_opens_{n}"),
            page.input_value(f"#id_opening_hours_{code}_closes_{n}"),
        )
        for n in (1, 2, 3)
    ]


def choose(page, code, state):
    """Pick a day's state with the keyboard, as a select does: focus, then type the option's first letters."""
    select = page.locator(f"#id_opening_hours_{code}_state")
    select.focus()
    select.select_option(state)


def test_a_producer_fills_the_common_week_on_a_phone(form_page):
    page = form_page
    widget = page.locator(".opening-hours-widget")
    expect(widget).to_have_class("opening-hours-widget opening-hours-widget--enhanced")
    # Every day starts closed: one line each, no time input shown.
    for code in DAYS:
        expect(day(page, code).locator('input[type="time"]').first).to_be_hidden()

    choose(page, "mo", "open")
    expect(page.locator("#id_opening_hours_mo_opens_1")).to_be_visible()
    expect(page.locator("#id_opening_hours_mo_opens_2")).to_be_hidden()
    page.fill("#id_opening_hours_mo_opens_1", "09:00")
    page.fill("#id_opening_hours_mo_closes_1", "12:00")
    add = day(page, "mo").get_by_role("button", name="Ajouter une plage")
    add.focus()
    page.keyboard.press("Enter")
    # The new range takes the focus.
    expect(page.locator("#id_opening_hours_mo_opens_2")).to_be_focused()
    page.keyboard.type("1400")
    page.fill("#id_opening_hours_mo_closes_2", "18:00")

    day(page, "mo").get_by_role("button", name="Copier du mardi au vendredi").press("Enter")
    expect(page.locator("[data-status]")).to_have_text("Horaires du lundi copiés du mardi au vendredi.")
    for code in ("tu", "we", "th", "fr"):
        expect(page.locator(f"#id_opening_hours_{code}_state")).to_have_value("open")
        assert times(page, code) == [("09:00", "12:00"), ("14:00", "18:00"), ("", "")]
        expect(page.locator(f"#id_opening_hours_{code}_opens_2")).to_be_visible()

    day(page, "fr").get_by_role("button", name="Horaires du vendredi : Copier vers samedi").press("Enter")
    expect(page.locator("[data-status]")).to_have_text("Horaires du vendredi copiés vers samedi.")
    page.fill("#id_opening_hours_sa_opens_2", "")
    page.fill("#id_opening_hours_sa_closes_2", "")
    assert times(page, "sa")[0] == ("09:00", "12:00")

    # A day copied by mistake is closed again: its times go.
    choose(page, "th", "closed")
    assert times(page, "th") == [("", "")] * 3
    expect(page.locator("#id_opening_hours_th_opens_1")).to_be_hidden()
    choose(page, "th", "open")
    assert times(page, "th") == [("", "")] * 3
    day(page, "we").get_by_role("button", name="Horaires du mercredi : Copier vers jeudi").press("Enter")

    # Sunday gets a wrong range, and the form is sent: the message is inside Sunday.
    choose(page, "su", "open")
    page.fill("#id_opening_hours_su_opens_1", "18:00")
    page.fill("#id_opening_hours_su_closes_1", "09:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer ma fiche").click()
    sunday_error = day(page, "su").locator(".opening-hours-error")
    expect(sunday_error).to_contain_text("Dimanche, plage 1 : la fermeture doit être après l’ouverture.")
    expect(page.locator("#id_opening_hours_su_opens_1")).to_have_attribute("aria-invalid", "true")
    # The field's own message names the day; the error summary at the top gives the day's own message, and its
    # link leads to the time to correct, with Sunday's name and its message in view (it led to the top of the week).
    expect(page.locator("#id_opening_hours_error")).to_contain_text("Horaires à corriger : dimanche")
    link = page.locator("[data-error-summary]").get_by_role(
        "link", name="Dimanche, plage 1 : la fermeture doit être après l’ouverture."
    )
    expect(link).to_have_attribute("href", "#id_opening_hours_su_closes_1")
    link.click()
    expect(page.locator("#id_opening_hours_su_closes_1")).to_be_focused()
    expect(page.locator("#id_opening_hours_su_closes_1")).to_be_in_viewport()
    expect(page.locator("legend", has_text="Dimanche")).to_be_in_viewport()
    expect(sunday_error).to_be_in_viewport()
    # Everything typed is back, folded the same way.
    for code in ("mo", "tu", "we", "th", "fr"):
        assert times(page, code) == [("09:00", "12:00"), ("14:00", "18:00"), ("", "")], code
    assert times(page, "sa") == [("09:00", "12:00"), ("", ""), ("", "")]
    expect(page.locator("#id_opening_hours_sa_opens_2")).to_be_hidden()

    # The whole week, as most producers have it, fits in less than two phone screens.
    choose(page, "su", "closed")
    expect(sunday_error).to_have_count(0)
    expect(page.locator("#id_opening_hours_su_opens_1")).not_to_have_attribute("aria-invalid", "true")
    assert times(page, "su") == [("", "")] * 3
    height = widget.bounding_box()["height"]
    assert height < 2 * PHONE["height"], f"the week takes {height:.0f} px"
    # Nothing in it wider than the screen.
    assert widget.evaluate(
        f"w => [w, ...w.querySelectorAll('*')].every(e => e.getBoundingClientRect().right <= {PHONE['width']})"
    )
    assert page.errors == []


def test_public_holidays_are_an_explicit_choice_kept_on_an_error(form_page):
    page = form_page
    closed = page.get_by_role("radio", name="Fermé les jours fériés")
    open_as_usual = page.get_by_role("radio", name="Ouvert les jours fériés, comme les autres jours")
    expect(page.get_by_role("group", name="Jours fériés")).to_be_visible()
    # A new listing starts closed on public holidays, as most French shops are.
    expect(closed).to_be_checked()
    expect(open_as_usual).not_to_be_checked()
    open_as_usual.focus()
    page.keyboard.press("Space")
    expect(open_as_usual).to_be_checked()
    for radio in (closed, open_as_usual):
        box = radio.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    choose(page, "mo", "open")
    page.fill("#id_opening_hours_mo_opens_1", "12:30")
    page.fill("#id_opening_hours_mo_closes_1", "12:30")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer ma fiche").click()
    expect(day(page, "mo").locator(".opening-hours-error")).to_contain_text(
        "Lundi, plage 1 : elle ouvre et ferme à 12:30. Indiquez l’heure de fermeture."
    )
    # The choice made before the error is still the one checked.
    expect(page.get_by_role("radio", name="Ouvert les jours fériés, comme les autres jours")).to_be_checked()
    expect(page.get_by_role("radio", name="Fermé les jours fériés")).not_to_be_checked()
    assert page.errors == []


def test_without_javascript_every_range_shows(browser, live_server, site_settings):
    CommuneFactory()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="fr-FR")
    try:
        page = context.new_page()
        page.route(
            "**/*", lambda route: route.continue_(headers={**route.request.headers, "x-forwarded-proto": "https"})
        )
        assert page.goto(live_server.url + "/inscrire/").ok
        expect(page.locator('.opening-hours-widget input[type="time"]:visible')).to_have_count(7 * 3 * 2)
        expect(page.locator(".opening-hours-actions button:visible")).to_have_count(0)
    finally:
        context.close()
