"""A shopper on a 390 px phone finds a market from the department page, opens it and subscribes to its calendar;
markets have their own marker on the department map."""

import datetime

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from producers import hours
from producers.models import Listing
from tests.browser.test_department_map import MAP, visit, wait_for_map
from tests.factories import CategoryFactory, CommuneFactory, DepartmentFactory, ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE = {"width": 390, "height": 844}
# Thursday 3 December 2026: the Saturday market is next held on the 5th.
THURSDAY_10H = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=hours.PARIS)


@pytest.fixture
def markets(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: THURSDAY_10H)
    department = DepartmentFactory(code="49", name="Maine-et-Loire")
    angers = CommuneFactory()
    cholet = CommuneFactory(
        insee_code="49099", name="Cholet", postal_codes="49300", population=54000, latitude=47.0600, longitude=-0.8790
    )
    vegetables = CategoryFactory(name="Légumes", slug="legumes")
    lafayette = ListingFactory(
        kind=Listing.Kind.MARKET,
        name="Marché Lafayette",
        short_description="Le grand marché du samedi matin",
        street_address="Place Lafayette",
        commune=angers,
        opening_hours="Sa 08:00-13:00; PH off",
        categories=[vegetables],
    )
    ListingFactory(kind=Listing.Kind.MARKET, name="Marché de Cholet", commune=cholet, opening_hours="We,Sa 07:30-12:30")
    # Far enough apart (tens of kilometres) that no marker of the map is clustered with another.
    for i in range(2):
        ListingFactory(
            name=f"Ferme {i}",
            commune=angers,
            latitude=angers.latitude,
            longitude=angers.longitude + 0.6 * (i + 1),
            categories=[vegetables],
        )
    return department, lafayette


def test_from_the_department_page_to_a_market_s_calendar(browser, page, live_server, markets):
    department, lafayette = markets
    page.set_viewport_size(PHONE)
    visit(page, live_server.url + department.get_absolute_url())

    page.get_by_role("link", name="Marchés et foires en Maine-et-Loire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marchés et foires en Maine-et-Loire (49)")
    expect(page.get_by_role("heading", name="2 marchés")).to_be_visible()
    card = page.locator(".market-card", has_text="Marché Lafayette")
    expect(card).to_contain_text("samedi 5 décembre, 8 h – 13 h")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"

    # The next 7 days, with this weekend one link away.
    page.get_by_role("link", name="Les 7 prochains jours").click()
    saturday = page.locator("#day-2026-12-05")
    expect(saturday).to_contain_text("Marché Lafayette")
    expect(saturday).to_contain_text("Marché de Cholet")
    expect(page.locator("#day-2026-12-04")).to_contain_text("Aucun marché ce jour-là.")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"

    # Near Cholet only: the town box of the directory, without JavaScript needed.
    page.get_by_label("Commune ou code postal").fill("Cholet")
    page.get_by_label("Distance").select_option("5")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("#day-2026-12-05")).not_to_contain_text("Marché Lafayette")
    expect(page.locator("#day-2026-12-05")).to_contain_text("Marché de Cholet")

    page.get_by_role("link", name="Tous les marchés et foires").click()
    page.get_by_role("link", name="Marché Lafayette", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marché Lafayette")
    dates = page.locator("section", has=page.get_by_role("heading", name="Prochaines dates"))
    expect(dates).to_contain_text("samedi 5 décembre, 8 h – 13 h")
    expect(dates).to_contain_text("samedi 12 décembre")

    subscribe = page.get_by_role("link", name="Ajouter ces dates à mon agenda (iCalendar, .ics)")
    expect(subscribe).to_be_visible()
    box = subscribe.bounding_box()
    assert box["height"] >= 20 and box["x"] + box["width"] <= PHONE["width"]
    # What a calendar application subscribing to the link receives.
    response = page.request.get(live_server.url + subscribe.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.body())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Marché Lafayette"
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["BYDAY"] == ["SA"]
    assert event.decoded("dtstart") == datetime.datetime(2026, 12, 5, 8, 0, tzinfo=hours.PARIS)
    assert str(event["LOCATION"]) == "Place Lafayette, 49000 Angers"
    assert not page.errors and not page.external_requests


def test_markets_have_their_own_marker(page, live_server, markets):
    department, lafayette = markets
    visit(page, live_server.url + department.get_absolute_url())
    wait_for_map(page)
    marker = page.locator(f"{MAP} .market-marker[title='Marché : Marché Lafayette']")
    expect(marker).to_be_visible()
    # A square, not the round pin: told apart by its shape and its name, not by its colour alone.
    assert marker.evaluate("node => node.querySelector('svg') !== null")
    expect(page.locator(f"{MAP} .leaflet-marker-icon:not(.market-marker):not(.marker-cluster)").first).to_be_visible()
    expect(page.locator(".map-legend")).to_have_text(
        "Les marqueurs carrés sont des marchés, points de retrait et foires."
    )
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Marché Lafayette")
    expect(popup.locator(".map-popup-kind")).to_have_text("Marché")

    # The filter "this weekend" with the kind "market" keeps the markets held on Saturday or Sunday.
    visit(page, live_server.url + department.get_absolute_url() + "?kind=market&when=weekend")
    expect(page.locator(".directory-list .card")).to_have_count(2)
    wait_for_map(page)
    expect(page.locator(f"{MAP} .market-marker")).to_have_count(2)
    assert not page.errors and not page.external_requests
