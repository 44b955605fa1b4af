"""The national map in a real browser, on a phone and on a desktop: server clusters, zooming into one, panning, the
overseas departments; and the same page without JavaScript."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from producers import maps
from tests.browser.test_department_map import MAP, markers_shown, visit, wait_for_map
from tests.factories import CategoryFactory, CommuneFactory, DepartmentFactory, ListingFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
GEOJSON = "/carte.geojson"


def spread_around(commune, prefix, count, category):
    return [
        ListingFactory(
            name=f"{prefix} {i:02d}",
            commune=commune,
            latitude=commune.latitude + 0.004 * (i % 5),
            longitude=commune.longitude + 0.006 * (i // 5),
            categories=[category],
        )
        for i in range(count)
    ]


@pytest.fixture
def france(monkeypatch):
    """52 listings in Angers, Lille, Bordeaux and Guadeloupe; the map clusters above 20 in its box."""
    monkeypatch.setattr(maps, "CLUSTER_ABOVE", 20)
    vegetables = CategoryFactory(name="Légumes", slug="legumes")
    region = RegionFactory()
    angers = CommuneFactory(department=DepartmentFactory(code="49", name="Maine-et-Loire", region=region))
    lille = CommuneFactory(
        insee_code="59350",
        name="Lille",
        postal_codes="59000",
        latitude=50.6311,
        longitude=3.0468,
        department=DepartmentFactory(code="59", name="Nord", region=region),
    )
    bordeaux = CommuneFactory(
        insee_code="33063",
        name="Bordeaux",
        postal_codes="33000",
        latitude=44.8378,
        longitude=-0.5792,
        department=DepartmentFactory(code="33", name="Gironde", region=region),
    )
    guadeloupe = DepartmentFactory(code="971", name="Guadeloupe", region=RegionFactory(code="01", name="Guadeloupe"))
    pointe_a_pitre = CommuneFactory(
        insee_code="97120",
        name="Pointe-à-Pitre",
        postal_codes="97110",
        latitude=16.2411,
        longitude=-61.5331,
        department=guadeloupe,
    )
    return {
        "angers": spread_around(angers, "Jardin d'Angers", 25, vegetables),
        "lille": spread_around(lille, "Ferme lilloise", 15, vegetables),
        "bordeaux": spread_around(bordeaux, "Vigne de Bordeaux", 11, vegetables),
        "guadeloupe": spread_around(pointe_a_pitre, "Rhum de Guadeloupe", 1, vegetables),
        "guadeloupe_department": guadeloupe,
    }


def geojson_requests(page):
    """The map's requests, recorded as they are sent: [{"bbox": …, "zoom": …}, …]."""
    sent = []

    def record(request):
        url = urlsplit(request.url)
        if url.path == GEOJSON:
            sent.append({key: values[0] for key, values in parse_qs(url.query).items()})

    page.on("request", record)
    return sent


def show_map(page, viewport):
    """On a phone the map sits behind the list/map switch."""
    if viewport is PHONE:
        page.get_by_role("group", name="Afficher les résultats en").get_by_role("button", name="Carte").click()
    return wait_for_map(page)


def wait_for_new_answer(page, sent, before):
    page.wait_for_function(
        "([selector, before]) => { const map = document.querySelector(selector);"
        " return map.dataset.mapState === 'ready' && Number(map.dataset.requestCount) > before; }",
        arg=[MAP, before],
    )
    assert len(sent) > before


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_national_map_clusters_zooms_in_and_loads_what_it_shows(page, live_server, france, viewport):
    page.set_viewport_size(viewport)
    sent = geojson_requests(page)
    visit(page, live_server.url + "/carte/")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], "the page scrolls sideways"
    if viewport is DESKTOP:
        expect(page.locator(".directory-list .card").first).to_be_visible()
    map_ = show_map(page, viewport)

    # All of metropolitan France, in server clusters named for what they hold.
    assert "bbox" in sent[0] and "zoom" in sent[0]
    assert int(map_.get_attribute("data-cluster-count")) >= 1
    expect(map_).to_have_attribute("data-marker-count", "51")  # Guadeloupe's listing is not in view
    assert markers_shown(map_) == 51
    clusters = page.get_by_role("button", name=re.compile(r"^\d+ activités$"))
    expect(clusters.first).to_be_visible()

    # A click on the biggest cluster zooms in on it; a few clicks on, Angers' listings come one by one.
    singles = map_.locator(".leaflet-marker-icon:not(.marker-cluster)")
    zoom = int(sent[-1]["zoom"])
    for _ in range(5):
        if singles.count():
            break
        biggest = max(clusters.all(), key=lambda cluster: int(cluster.inner_text()))
        before = len(sent)
        biggest.click()
        wait_for_new_answer(page, sent, before)
        assert int(sent[-1]["zoom"]) > zoom, "the cluster did not zoom in"
        zoom = int(sent[-1]["zoom"])
    expect(singles.first).to_be_visible()
    titles = set(singles.evaluate_all("icons => icons.map(icon => icon.title)"))
    assert titles and all(title.startswith("Jardin d'Angers") for title in titles)

    # Dragging the map far away asks for the new view.
    before = len(sent)
    box = map_.bounding_box()
    for _ in range(6):
        page.mouse.move(box["x"] + box["width"] * 0.9, box["y"] + box["height"] * 0.5)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.5, steps=5)
        page.mouse.up()
        page.wait_for_timeout(400)
        if len(sent) > before:
            break
    wait_for_new_answer(page, sent, before)
    assert sent[-1]["bbox"] != sent[before - 1]["bbox"]

    # The overseas departments are a jump away.
    before = len(sent)
    page.get_by_role("navigation", name="Départements d’outre-mer").get_by_role("link", name="Guadeloupe").click()
    wait_for_new_answer(page, sent, before)
    assert page.url == live_server.url + "/carte/", "the link moved the map instead of leaving the page"
    expect(singles).to_have_count(1)
    expect(singles).to_have_attribute("title", "Rhum de Guadeloupe 00")
    assert page.external_requests == []
    assert page.errors == []


def test_without_javascript_the_list_and_the_department_links_remain(browser, live_server, site_settings, france):
    context = browser.new_context(locale="fr-FR", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        visit(page, live_server.url + "/carte/")
        expect(page.locator(".directory-list .card")).to_have_count(20)  # the first page of 52
        expect(page.locator(".listing-map__fallback")).to_be_visible()
        link = page.get_by_role("navigation", name="Départements d’outre-mer").get_by_role("link", name="Guadeloupe")
        link.click()
        expect(page).to_have_url(live_server.url + france["guadeloupe_department"].get_absolute_url())
        expect(page.locator(".directory-list .card")).to_have_count(1)
    finally:
        context.close()
