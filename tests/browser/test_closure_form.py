"""The producer's temporary closures on a 390 px phone: a mistake is shown next to its field with everything kept,
the corrected closure is listed, and the page never scrolls sideways."""

import pytest
from playwright.sync_api import expect

from moderation.models import EditToken
from producers.models import Closure
from tests.factories import CommuneFactory, ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_closure_entered_on_a_phone(page, live_server, clock):
    listing = ListingFactory(name="Ferme du Lac", commune=CommuneFactory(), opening_hours="Mo-Su 09:00-18:00")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/modifier/{EditToken.issue(listing)}/")
    page.get_by_role("link", name="Mes fermetures temporaires").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fermetures temporaires de Ferme du Lac")
    assert no_sideways_scroll(page)

    page.get_by_label("Premier jour fermé").fill("2026-08-15")
    page.get_by_label("Dernier jour fermé").fill("2026-08-01")
    page.get_by_label("Note").fill("Congés d’été")
    page.get_by_role("button", name="Ajouter cette fermeture").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.locator("#id_ends_on_error")).to_contain_text("ne peut pas être avant le premier")
    expect(page.get_by_label("Premier jour fermé")).to_have_value("2026-08-15")
    expect(page.get_by_label("Note")).to_have_value("Congés d’été")
    assert no_sideways_scroll(page)
    assert not Closure.objects.exists()

    summary.get_by_role("link").click()
    expect(page.get_by_label("Dernier jour fermé")).to_be_focused()
    page.get_by_label("Dernier jour fermé").fill("2026-08-20")
    page.get_by_role("button", name="Ajouter cette fermeture").click()
    expect(page.locator(".messages")).to_contain_text("La fermeture est enregistrée")
    expect(page.locator(".closure-list")).to_contain_text("Fermé du 15 août au 20 août 2026 : Congés d’été")
    assert no_sideways_scroll(page)
    assert Closure.objects.get().note == "Congés d’été"
    assert not page.external_requests and not page.errors
