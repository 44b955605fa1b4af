"""The department page in a real browser: clustered map, town filter shared by list and map, popup to listing."""

import re

import pytest
from playwright.sync_api import expect

from producers.models import Listing
from tests.factories import CategoryFactory, CommuneFactory, DepartmentFactory, ListingFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

MAP = ".listing-map"

# Markers and clusters on the map, a cluster counting for the listings it holds.
MARKERS_SHOWN_JS = """map => [...map.querySelectorAll('.leaflet-marker-icon')].reduce(
    (total, icon) => total + (icon.classList.contains('marker-cluster') ? parseInt(icon.textContent, 10) : 1), 0)"""


def spread(index):
    """A small deterministic offset (< 1 km) so that listings of one town do not all sit on one point."""
    return ((index * 37) % 11 - 5) * 0.0015, ((index * 53) % 13 - 6) * 0.0015


def make_listings(commune, prefix, count, categories):
    return [
        ListingFactory(
            name=f"{prefix} {i:02d}",
            commune=commune,
            latitude=commune.latitude + spread(i)[0],
            longitude=commune.longitude + spread(i)[1],
            categories=categories,
        )
        for i in range(1, count + 1)
    ]


@pytest.fixture
def maine_et_loire():
    department = DepartmentFactory(code="49", name="Maine-et-Loire")
    angers = CommuneFactory()
    saint_barthelemy = CommuneFactory(
        insee_code="49267",
        name="Saint-Barthélemy-d'Anjou",
        postal_codes="49124",
        population=9000,
        latitude=47.4675,
        longitude=-0.4956,
    )
    cholet = CommuneFactory(
        insee_code="49099", name="Cholet", postal_codes="49300", population=54000, latitude=47.0600, longitude=-0.8790
    )
    vegetables = CategoryFactory(name="Légumes", slug="legumes")
    fruit = CategoryFactory(name="Fruits", slug="fruits")
    listings = {
        "angers": make_listings(angers, "Jardin d'Angers", 14, [vegetables]),
        "saint_barthelemy": make_listings(saint_barthelemy, "Verger de Saint-Barth", 8, [fruit]),
        "cholet": make_listings(cholet, "Ferme de Cholet", 8, [vegetables, fruit]),
    }
    ListingFactory(name="Ferme en attente de relecture", commune=cholet, status=Listing.Status.PENDING)
    # Nantes is 50 km from Cholet: in another department, it never shows on the 49 page.
    nantes = CommuneFactory(
        insee_code="44109",
        name="Nantes",
        department=DepartmentFactory(code="44", name="Loire-Atlantique", region=RegionFactory()),
        postal_codes="44000 44100 44200 44300",
        population=320000,
        latitude=47.2181,
        longitude=-1.5528,
    )
    ListingFactory(name="Conserverie nantaise", commune=nantes)
    return department, listings


def visit(page, url):
    response = page.goto(url)
    assert response.ok, f"{response.status} on {url}"


# The map at rest: its data placed and nothing moving. Leaflet marks its pane while it zooms or pans, markercluster
# while it splits, merges or spiderfies clusters; markers are added, moved and removed until then, so one picked
# during a move may be another (or gone) by the time it is clicked.
MAP_STILL_JS = """map => map.dataset.mapState === 'ready'
    && !map.querySelector('.leaflet-map-pane:is(.leaflet-zoom-anim, .leaflet-pan-anim, .leaflet-cluster-anim)')"""


def wait_for_map(page):
    map_ = page.locator(MAP)
    page.wait_for_selector(f'{MAP}[data-map-state="ready"], {MAP}[data-map-state="error"]')
    assert map_.get_attribute("data-map-state") == "ready", f"the map could not load its data: {page.errors}"
    page.wait_for_selector(f"{MAP} .leaflet-marker-icon")
    wait_until_still(page)
    return map_


def wait_until_still(page):
    page.wait_for_function(MAP_STILL_JS, arg=page.locator(MAP).element_handle())


def markers_shown(map_):
    return map_.evaluate(MARKERS_SHOWN_JS)


def open_a_marker_popup(page):
    """Click clusters (zooming in, or spiderfying points too close to split) until a single marker shows; click it.

    Each click waits for the map to come to rest: a cluster click starts its zoom on the next frame, so the clicked
    cluster leaving the map (or fading, spiderfied) says the move has begun, and the animation classes gone that it
    has ended. The marker is then clicked by its name, the one returned, and its popup must say that name."""
    map_ = page.locator(MAP)
    single = map_.locator(".leaflet-marker-icon:not(.marker-cluster)")
    wait_until_still(page)
    for _ in range(8):
        if single.count():
            title = single.first.get_attribute("title")
            map_.locator(".leaflet-marker-icon").and_(page.get_by_title(title, exact=True)).click()
            expect(page.locator(".leaflet-popup-content .map-popup-name")).to_have_text(title)
            return title
        cluster = map_.locator(".marker-cluster").first.element_handle()
        cluster.click()
        page.wait_for_function("cluster => !cluster.isConnected || cluster.style.opacity === '0.3'", arg=cluster)
        wait_until_still(page)
    raise AssertionError("no single marker after zooming into the clusters")


def test_map_clusters_the_published_listings_and_follows_the_town_filter(page, live_server, maine_et_loire):
    department, listings = maine_et_loire
    published = [listing for group in listings.values() for listing in group]
    cholet_names = {listing.name for listing in listings["cholet"]}
    assert department.get_absolute_url() == "/departements/49-maine-et-loire/"

    visit(page, live_server.url + department.get_absolute_url())
    map_ = wait_for_map(page)

    expect(map_).to_have_attribute("aria-label", re.compile(r"\S"))
    expect(map_).to_have_attribute("data-marker-count", str(len(published)))
    assert page.locator(f"{MAP} .marker-cluster").count() >= 1, "30 listings in 3 towns should form clusters"
    assert markers_shown(map_) == len(published)
    assert "Ferme en attente de relecture" not in page.content()
    assert "Conserverie nantaise" not in page.content()

    filters = page.locator("form.filters")
    filters.locator('[name="commune"]').fill("Cholet")
    distance = filters.locator('[name="distance"]')
    if distance.evaluate("field => field.tagName") == "SELECT":
        distance.select_option("5")
    else:
        distance.fill("5")
    with page.expect_navigation() as navigation:
        filters.locator('button[type="submit"], input[type="submit"]').first.click()

    assert navigation.value.ok, f"{navigation.value.status} on {page.url}"
    assert re.search(r"[?&]commune=Cholet\b", page.url)
    assert re.search(r"[?&]distance=5\b", page.url)
    map_ = wait_for_map(page)
    list_names = set(page.locator(".directory-list .card__title").all_inner_texts())
    assert list_names == cholet_names
    expect(map_).to_have_attribute("data-marker-count", str(len(cholet_names)))
    assert markers_shown(map_) == len(cholet_names)
    single_markers = map_.locator(".leaflet-marker-icon:not(.marker-cluster)")
    titles = set(single_markers.evaluate_all("icons => icons.map(icon => icon.title)"))
    assert titles <= cholet_names

    name = open_a_marker_popup(page)
    assert name in cholet_names
    popup = page.locator(".leaflet-popup-content")
    expect(popup.locator(".map-popup-categories")).to_contain_text("Légumes")
    expect(popup.locator(".map-popup-status")).to_have_class(re.compile(r"\bis-(open|closed|unknown)\b"))
    link = popup.get_by_role("link", name=name)
    with page.expect_navigation() as navigation:
        link.click()

    assert navigation.value.ok, f"{navigation.value.status} on {page.url}"
    assert re.search(r"/activites/[\w-]+/$", page.url)
    expect(page.locator("h1")).to_have_text(name)
    assert page.external_requests == [], "the page asked for resources outside the site (a CDN?)"
    assert page.errors == []


def test_listing_page_shows_its_single_marker(page, live_server, maine_et_loire):
    _, listings = maine_et_loire
    listing = listings["angers"][0]

    visit(page, live_server.url + listing.get_absolute_url())

    map_ = page.locator(MAP)
    if not map_.count():
        pytest.fail("the listing page has no .listing-map (single-marker variant: data-lat, data-lon, data-name)")
    wait_for_map(page)
    expect(map_).to_have_attribute("data-marker-count", "1")
    expect(map_.locator(".listing-map__fallback")).to_have_count(0)  # the text for pages without JavaScript
    marker = map_.locator(".leaflet-marker-icon")
    expect(marker).to_have_count(1)
    expect(marker).to_have_attribute("title", listing.name)
    assert page.errors == []
