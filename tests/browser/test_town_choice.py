"""Mistakes in the town box, on a 390 px phone without JavaScript: a town with homonyms, and the page asking which
one was meant (choosing, or typing another town there, keeps the rest of the search on the department's page); a
town that does not exist, said at the top of the page and next to the field."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser import TIMEOUT_MS
from tests.browser.test_department_map import (
    maine_et_loire,  # noqa: F401 (a fixture, used below)
    visit,
)
from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone_without_javascript(browser, live_server, site_settings):
    context = browser.new_context(locale="fr-FR", viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def directory(request):
    """The map tests' department: listings in Angers, Saint-Barthélemy-d'Anjou and Cholet."""
    return request.getfixturevalue("maine_et_loire")


@pytest.fixture
def homonyms(db):
    region = RegionFactory(code="76", name="Occitanie")
    for insee_code, code, name, population in [("32389", "32", "Gers", 459), ("65392", "65", "Hautes-Pyrénées", 452)]:
        CommuneFactory(
            insee_code=insee_code,
            name="Saint-Martin",
            department=DepartmentFactory(code=code, name=name, region=region),
            postal_codes=f"{code}300",
            population=population,
            latitude=43.6,
            longitude=0.5,
        )


def search(page, town):
    """Open the folded filters, choose a distance and a category, type a town and send."""
    page.locator(".filters-panel__summary").click()
    page.get_by_label("Distance").select_option(label="dans un rayon de 20 km")
    page.get_by_label("Catégorie").select_option(label="Fruits")
    page.get_by_label("Commune ou code postal").fill(town)
    with page.expect_navigation():
        page.get_by_role("button", name="Afficher", exact=True).click()


def test_typing_another_town_on_the_choice_page_keeps_the_search(
    phone_without_javascript, live_server, directory, homonyms
):
    page = phone_without_javascript
    department, listings = directory
    visit(page, live_server.url + department.get_absolute_url())
    search(page, "Saint-Martin")

    expect(page.get_by_role("heading", level=1)).to_have_text("De quel lieu parlez-vous ?")
    expect(page.locator(".town-choices li")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"

    # Not the one: the shopper types the town they meant in the box under the choices.
    box = page.get_by_label("Ou tapez une autre commune ou un autre code postal")
    expect(box).to_have_value("Saint-Martin")
    box.fill("Cholet")
    with page.expect_navigation():
        page.get_by_role("button", name="Rechercher").click()

    url = urlsplit(page.url)
    assert url.path == department.get_absolute_url()
    assert parse_qs(url.query) == {"commune": ["Cholet"], "distance": ["20"], "category": ["fruits"]}
    page.locator(".filters-panel__summary").click()
    expect(page.get_by_label("Distance")).to_have_value("20")
    expect(page.get_by_label("Catégorie")).to_have_value("fruits")
    expect(page.locator(".directory-list .card")).to_have_count(len(listings["cholet"]))


def test_choosing_a_homonym_keeps_the_search(phone_without_javascript, live_server, directory, homonyms):
    page = phone_without_javascript
    department, _listings = directory
    visit(page, live_server.url + department.get_absolute_url())
    search(page, "Saint-Martin")

    with page.expect_navigation():
        page.get_by_role("link", name="Saint-Martin (65)").click()
    query = parse_qs(urlsplit(page.url).query)
    assert (query["distance"], query["category"], query["commune_code"]) == (["20"], ["fruits"], ["65392"])
    expect(page.locator(".notice--town")).to_contain_text("Saint-Martin est dans le département Hautes-Pyrénées")


def test_a_town_not_found_is_said_at_the_top_and_next_to_the_field(phone_without_javascript, live_server, directory):
    page = phone_without_javascript
    department, _listings = directory
    visit(page, live_server.url + department.get_absolute_url())
    search(page, "Chollet-sur-Mer")

    assert page.title().startswith("Erreur")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Il y a un problème")
    assert summary.bounding_box()["y"] + 100 < PHONE["height"], "the summary is below the first screen"
    summary.get_by_role("link", name="Nous n’avons pas trouvé cette commune.").click()
    town = page.get_by_label("Commune ou code postal")
    expect(town).to_be_in_viewport()
    expect(town).to_have_value("Chollet-sur-Mer")
    expect(town).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#commune-error")).to_be_visible()
    # The rest of the search is kept.
    expect(page.get_by_label("Distance")).to_have_value("20")
    expect(page.get_by_label("Catégorie")).to_have_value("fruits")
