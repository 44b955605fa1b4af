"""A commune name that fits several communes, on the registration form on a 390 px phone: the producer is asked
which one (radio buttons, no JavaScript needed), the error summary leads to them, and the one chosen is saved."""

import pytest
from playwright.sync_api import expect

from producers.models import Listing, Locality
from tests.browser.axe import violations
from tests.factories import CategoryFactory, CommuneFactory, DepartmentFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def cannets():
    region = RegionFactory(code="93", name="Provence-Alpes-Côte d'Azur")
    for insee_code, name, code, department, postal_code, population, lat, lon in [
        ("06030", "Le Cannet", "06", "Alpes-Maritimes", "06110", 41471, 43.57, 7.01),
        ("83031", "Le Cannet-des-Maures", "83", "Var", "83340", 4300, 43.39, 6.34),
        ("32344", "Riscle", "32", "Gers", "32400", 1830, 43.66, -0.09),
    ]:
        commune = CommuneFactory(
            insee_code=insee_code, name=name, postal_codes=postal_code, population=population, latitude=lat,
            longitude=lon, department=DepartmentFactory(code=code, name=department, region=region),
        )  # fmt: skip
    Locality.objects.create(
        insee_code="32074", kind=Locality.Kind.DELEGATED, name="Cannet", commune=commune, latitude=43.6, longitude=-0.05
    )
    CategoryFactory(name="Légumes", slug="legumes")


@pytest.mark.parametrize("javascript", [True, False])
def test_a_producer_chooses_their_commune_among_those_a_name_fits(
    browser, live_server, site_settings, cannets, javascript
):
    site_settings.MODERATION_MIN_FILL_SECONDS = 0
    site_settings.CSRF_TRUSTED_ORIGINS = [live_server.url, live_server.url.replace("http://", "https://")]
    context = browser.new_context(locale="fr-FR", viewport=PHONE, java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(live_server.url + "/inscrire/")
    page.fill("#id_name", "Ferme des Maures")
    page.check('input[name="categories"][value="legumes"]')
    page.fill("#id_commune", "Cannet")
    page.fill("#id_email", "maures@example.org")
    if javascript:
        # The name typed in full moves the pin to the first town of that name (Cannet, now part of Riscle) as a
        # preview; that guess fills neither the postal code nor the town's code, or the server would take it.
        expect(page.locator(".pin-map")).to_have_attribute("data-pin-lat", "43.600000")
        expect(page.locator("#id_postal_code")).to_have_value("")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer ma fiche").click()

    assert not Listing.objects.exists()
    summary = page.locator("[data-error-summary]")
    message = (
        "Plusieurs communes correspondent à « Cannet » : choisissez la vôtre ci-dessous, ou donnez votre code postal."
    )
    expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(page.locator("#id_commune_error")).to_contain_text(message)
    expect(page.locator("#id_commune")).to_have_value("Cannet")
    choices = page.get_by_role("group", name="Quelle est votre commune ?").get_by_role("radio")
    expect(choices).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"

    if javascript:
        assert violations(page, ".submission-form") == []  # axe runs on the page's scripts' timers
        expect(summary).to_be_focused()
        summary.get_by_role("link", name=message).click()
        expect(page.locator("#id_commune_choice_0")).to_be_focused()
        expect(page.locator("#id_commune_choice_0")).to_be_in_viewport()
    choice = page.get_by_role("radio", name="Le Cannet-des-Maures (83)")
    box = choice.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24  # WCAG 2.5.8, on a phone
    choice.check()
    if javascript:
        expect(page.locator(".pin-map")).to_have_attribute("data-pin-lat", "43.390000")  # the pin follows
        # To the former commune's own point, not its commune nouvelle's (Riscle, 43.66).
        page.get_by_role("radio", name="Cannet (Riscle)").check()
        expect(page.locator(".pin-map")).to_have_attribute("data-pin-lat", "43.600000")
        choice.check()
        expect(page.locator(".pin-map")).to_have_attribute("data-pin-lat", "43.390000")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer ma fiche").click()

    assert page.url.endswith("/inscrire/merci/"), page.locator(".field-error").all_inner_texts()
    listing = Listing.objects.get()
    assert listing.commune.name == "Le Cannet-des-Maures"
    assert listing.postal_code == "83340"
    assert (listing.latitude, listing.longitude) == (43.39, 6.34)  # the commune's point, not the pin's first guess
    assert errors == []
    context.close()
