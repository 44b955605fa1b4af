"""A producer says on a 390 px phone, through their private link, that they sell at the Chalonnes market on the 1st
and 3rd Saturdays; nothing shows until a volunteer approves it; then their listing page says where and when, and the
market's page lists them under their category."""

import pytest
from playwright.sync_api import expect

from moderation.models import EditToken, Revision
from producers.models import Attendance, DeliveryMode, Listing
from tests.factories import CategoryFactory, CommuneFactory, ListingFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

LABEL = "Marché de Chalonnes (Chalonnes-sur-Loire)"


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_producer_declares_a_market_on_a_phone(page, live_server, site_settings):
    site_settings.MODERATION_MIN_FILL_SECONDS = 0  # the script types faster than the spam timer allows
    # Seeded by a migration, but a transactional test before this one may have flushed it.
    DeliveryMode.objects.get_or_create(code="markets", defaults={"name": "Sur les marchés", "position": 4})
    chalonnes = CommuneFactory(
        insee_code="49063", name="Chalonnes-sur-Loire", postal_codes="49290", latitude=47.35, longitude=-0.76
    )
    ListingFactory(
        name="Marché de Chalonnes",
        kind=Listing.Kind.MARKET,
        market_type=Listing.MarketType.WEEKLY,
        commune=chalonnes,
        opening_hours="Sa 08:00-13:00",
    )
    farm = ListingFactory(
        name="Ferme du Lac",
        commune=CommuneFactory(),
        email="lac@example.org",
        categories=[CategoryFactory(name="Légumes", slug="legumes")],
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/modifier/{EditToken.issue(farm)}/")
    expect(page.get_by_role("group", name="Les marchés où vous vendez")).to_be_visible()
    market = page.locator("#id_markets_1")
    expect(page.locator("label[for=id_markets_1]")).to_contain_text("Marché 1")
    market.scroll_into_view_if_needed()
    market.press_sequentially("Chalonnes", delay=20)
    # The autocomplete offers the market with its town.
    expect(page.locator(f'#markets-options option[value="{LABEL}"]')).to_be_attached()
    market.fill(LABEL)
    page.get_by_label("Quand (ligne 1)").select_option(label="1re et 3e semaines du mois")
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Enregistrer mes modifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos modifications sont enregistrées")

    # Nothing public before a volunteer approves.
    revision = Revision.objects.get()
    assert not Attendance.objects.exists()
    page.goto(live_server.url + farm.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Ferme du Lac")
    expect(page.get_by_role("heading", name="Sur les marchés")).to_have_count(0)

    revision.approve(by=UserFactory(username="camille"))
    page.goto(live_server.url + farm.get_absolute_url())
    section = page.locator(".listing-markets")
    expect(section.get_by_role("heading", name="Sur les marchés")).to_be_visible()
    expect(section).to_contain_text("Marché de Chalonnes")
    expect(section).to_contain_text("samedi matin")
    expect(section).to_contain_text("1re et 3e semaines du mois")
    expect(section).to_contain_text("Prochaine fois : samedi")
    assert no_sideways_scroll(page)

    # From there to the market's page, which lists the farm under its category.
    section.get_by_role("link", name="Marché de Chalonnes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marché de Chalonnes")
    stands = page.locator("section[aria-labelledby=stands-title]")
    expect(stands.get_by_role("heading", name="Producteurs présents sur ce marché")).to_be_visible()
    expect(stands.get_by_role("heading", level=3)).to_have_text("Légumes")
    expect(stands.get_by_role("link", name="Ferme du Lac")).to_be_visible()
    expect(stands).to_contain_text("1re et 3e semaines du mois")
    assert no_sideways_scroll(page)
    assert not page.external_requests and not page.errors


def test_coming_back_to_the_link_shows_the_market_waiting_for_review_and_keeps_it(page, live_server, site_settings):
    """The rows showed the live markets (none) beside "Sur les marchés" ticked from the edit waiting: the producer
    did not see their market, and fixing a typo was refused with "name at least one market"."""
    site_settings.MODERATION_MIN_FILL_SECONDS = 0
    DeliveryMode.objects.get_or_create(code="markets", defaults={"name": "Sur les marchés", "position": 4})
    chalonnes = CommuneFactory(
        insee_code="49063", name="Chalonnes-sur-Loire", postal_codes="49290", latitude=47.35, longitude=-0.76
    )
    market = ListingFactory(
        name="Marché de Chalonnes", kind=Listing.Kind.MARKET, commune=chalonnes, opening_hours="Sa 08:00-13:00"
    )
    farm = ListingFactory(
        name="Ferme du Lac",
        commune=CommuneFactory(),
        email="lac@example.org",
        categories=[CategoryFactory(name="Légumes", slug="legumes")],
    )
    page.set_viewport_size({"width": 390, "height": 844})
    save = page.get_by_role("button", name="Enregistrer mes modifications")
    page.goto(f"{live_server.url}/modifier/{EditToken.issue(farm)}/")
    page.get_by_role("checkbox", name="Sur les marchés").check()
    page.locator("#id_markets_1").fill(LABEL)
    page.get_by_label("Quand (ligne 1)").select_option(label="1re et 3e semaines du mois")
    save.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos modifications sont enregistrées")

    page.get_by_role("link", name="Retour à ma fiche").click()
    expect(page.get_by_role("checkbox", name="Sur les marchés")).to_be_checked()
    expect(page.locator("#id_markets_1")).to_have_value(LABEL)
    expect(page.get_by_label("Quand (ligne 1)")).to_have_value("1,3")
    page.fill("#id_description", "Légumes de plein champ.")
    save.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos modifications sont enregistrées")
    waiting = Revision.objects.pending().get()
    assert (waiting.data["description"], waiting.data["markets"]) == (
        "Légumes de plein champ.",
        [[market.pk, "Sa[1,3]"]],
    )
    assert no_sideways_scroll(page)
    assert page.errors == []
