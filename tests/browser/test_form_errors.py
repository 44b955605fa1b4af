"""A refused form on a phone: the error summary takes the focus and its links take the producer to each field."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from producers.models import DeliveryMode, Listing
from tests.factories import CommuneFactory

from .registration import fill_in, on_a_phone, send

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def phone_page(page, live_server, site_settings):
    return on_a_phone(page, live_server, site_settings, min_fill_seconds=0)


def focused_id(page):
    return page.evaluate("document.activeElement.id || document.activeElement.dataset.errorSummary")


def test_the_error_summary_is_focused_and_its_links_move_the_focus_to_the_fields(phone_page, live_server):
    page = phone_page
    page.goto(live_server.url + "/inscrire/")
    fill_in(page, category=None, email="pas-une-adresse")
    send(page)

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert page.title().replace("\xa0", " ").startswith("Erreur : ")
    expect(page.locator("#id_name")).to_have_value("Ferme de la Baumette")

    summary.get_by_role("link", name="Saisissez une adresse de courriel valide.").click()
    expect(page.locator("#id_email")).to_be_focused()
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_email")).to_be_in_viewport()

    # A group of checkboxes: the focus goes to its first box, announced with the group's error.
    page.keyboard.press("Shift+Tab")
    summary.locator('a[href="#id_categories_0"]').click()
    expect(page.locator("#id_categories_0")).to_be_focused()
    expect(page.locator("#id_categories_group")).to_have_attribute(
        "aria-describedby", "id_categories_helptext id_categories_error"
    )
    assert page.errors == []


def test_a_photo_is_kept_after_an_error_and_sent_with_the_corrected_form(phone_page, live_server, tmp_path):
    page = phone_page
    path = tmp_path / "etal.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 140, 60)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())

    page.goto(live_server.url + "/inscrire/")
    page.fill("#id_name", "Ferme de la Baumette")
    page.check('input[name="categories"][value="legumes"]')
    # A town with a single postal code fills it.
    CommuneFactory(insee_code="49099", name="Cholet", postal_codes="49300", latitude=47.06, longitude=-0.879)
    page.fill("#id_commune", "Chol")
    expect(page.locator('#commune-options option[value="Cholet (49)"]')).to_have_count(1)
    page.fill("#id_commune", "Cholet (49)")
    expect(page.locator("#id_postal_code")).to_have_value("49300")
    page.fill("#id_email", "baumette@example")
    page.set_input_files("#id_photo_1", str(path))
    page.check("#id_image_rights")
    send(page)

    expect(page.locator("[data-error-summary]")).to_be_focused()
    kept = page.locator(".kept-photos li")
    expect(kept).to_have_count(1)
    expect(kept.get_by_role("checkbox")).not_to_be_checked()
    expect(page.locator("#id_image_rights")).to_be_checked()
    expect(page.locator("#id_photo_1")).to_have_value("")

    page.fill("#id_email", "baumette@example.org")
    send(page)
    assert page.url.endswith("/inscrire/merci/"), page.locator(".error-summary").all_inner_texts()
    listing = Listing.objects.get()
    assert (listing.commune.name, listing.postal_code, listing.photos.count()) == ("Cholet", "49300", 1)
    assert page.errors == []


def test_a_postal_code_typed_with_its_space_fits_in_its_box_and_is_read(phone_page, live_server):
    """ "49 000" as it is often written: the box used to stop at "49 00", which then matched no town."""
    page = phone_page
    page.goto(live_server.url + "/inscrire/")
    page.fill("#id_name", "Ferme de la Baumette")
    page.check('input[name="categories"][value="legumes"]')
    page.fill("#id_commune", "Angers")
    page.locator("#id_postal_code").press_sequentially("49 000")
    expect(page.locator("#id_postal_code")).to_have_value("49 000")
    page.fill("#id_email", "baumette@example.org")
    send(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Merci")
    assert Listing.objects.get().postal_code == "49000"


def test_on_the_markets_without_a_market_leads_to_the_markets_rows(phone_page, live_server):
    """ "Sur les marchés" ticked and no market named: the summary's link takes the producer to the first market row,
    with the message beside it, and what they typed is still there."""
    # Seeded by a migration, which an earlier test of this process flushed.
    DeliveryMode.objects.get_or_create(code="markets", defaults={"name": "Sur les marchés", "position": 4})
    page = phone_page
    page.goto(live_server.url + "/inscrire/")
    fill_in(page, commune="Angers", postal_code="49000")
    page.check('input[name="delivery_modes"][data-mode="markets"]')
    send(page)

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Indiquez au moins un marché où vous vendez").click()
    row = page.locator("#id_markets_1")
    expect(row).to_be_focused()
    expect(row).to_be_in_viewport()
    expect(row).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_markets_1_error")).to_contain_text("ou décochez « Sur les marchés »")
    expect(page.locator("#id_markets_1_error")).to_be_in_viewport()
    expect(page.locator("#id_name")).to_have_value("Ferme de la Baumette")
    expect(page.locator('input[name="delivery_modes"][data-mode="markets"]')).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.fill("#id_delivery_details_markets", "marché du samedi à Cholet")
    send(page)
    assert page.url.endswith("/inscrire/merci/"), page.locator(".error-summary").all_inner_texts()
    assert page.errors == []
