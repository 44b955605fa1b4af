"""Registering an activity in a real browser, then a volunteer approving it: the pin the producer dragged is where
the listing shows on the department map.
"""

import importlib
import io
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from producers.models import DeliveryMode, Listing
from tests.factories import CategoryFactory, CommuneFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "correct horse battery staple"
MARKER = ".pin-map .leaflet-marker-icon"
# Far enough from Angers for the pin to be visibly elsewhere, close enough (< 30 km) to be kept by the server.
DRAG_PIXELS = 100


@pytest.fixture
def places():
    angers = CommuneFactory()
    cholet = CommuneFactory(
        insee_code="49099", name="Cholet", postal_codes="49300", population=54000, latitude=47.0600, longitude=-0.8790
    )
    CategoryFactory(name="Légumes", slug="legumes")
    # Seeded by a migration, but a transactional test before this one may have flushed them.
    DeliveryMode.objects.get_or_create(code="markets", defaults={"name": "Sur les marchés", "position": 4})
    return angers, cholet


@pytest.fixture
def volunteer():
    """A staff user in the Modérateurs group, logging in with a password like a real volunteer."""
    group, _created = Group.objects.get_or_create(name="Modérateurs")
    # The group comes from a migration that a flush between transactional tests erases: rebuilt from its own list.
    migration = importlib.import_module("moderation.migrations.0003_moderators_group")
    for app_label, codename in migration.PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user = UserFactory(username="camille", is_staff=True)
    user.groups.add(group)
    return user


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "etal.jpg"
    image = Image.new("RGB", (640, 480), (90, 140, 60))
    for x in range(0, 640, 40):
        image.paste((200, 80, 40), (x, 200, x + 20, 280))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def form_page(page, live_server, site_settings):
    # Long enough to be a real wait, short enough not to slow the suite: the test waits it out before sending.
    site_settings.MODERATION_MIN_FILL_SECONDS = 2
    # POSTs from the browser carry an http:// Origin; with DEBUG=0 the live server believes it is behind https.
    site_settings.CSRF_TRUSTED_ORIGINS = [live_server.url, live_server.url.replace("http://", "https://")]
    return page


def visit(page, url):
    response = page.goto(url)
    assert response.ok, f"{response.status} on {url}"


def hidden_point(page):
    return page.input_value("#id_latitude"), page.input_value("#id_longitude")


def marker_point(page):
    return page.locator(".pin-map").evaluate("map => [map.dataset.pinLat, map.dataset.pinLon]")


def pick_town(page, typed, label):
    """Type the start of a town's name, wait for the suggestion and pick it, as a datalist choice does."""
    commune = page.locator("#id_commune")
    commune.fill(typed)
    expect(page.locator(f'#commune-options option[value="{label}"]')).to_have_count(1)
    commune.fill(label)


def drag_marker(page, dx, dy):
    box = page.locator(MARKER).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    # In steps: Leaflet starts a drag only after the pointer has moved a few pixels with the button down.
    page.mouse.move(x + dx / 2, y + dy / 2, steps=5)
    page.mouse.move(x + dx, y + dy, steps=5)
    page.mouse.up()


def test_a_producer_registers_a_volunteer_approves_and_the_pin_is_on_the_map(
    form_page, live_server, places, volunteer, photo
):
    page = form_page
    angers, cholet = places
    visit(page, live_server.url + "/inscrire/")
    page.wait_for_selector('.pin-map[data-pin-state="ready"]')
    expect(page.locator(MARKER)).to_have_count(1)

    page.fill("#id_name", "Ferme de la Baumette")
    page.select_option("#id_kind", "producer")
    page.check('input[name="categories"][value="legumes"]')
    page.fill("#id_short_description", "Légumes de saison et œufs")
    page.fill("#id_street_address", "3 chemin de la Baumette")

    # The pin follows the town picked in the suggestions…
    pick_town(page, "Chol", "Cholet (49)")
    expect(page.locator(".pin-map")).to_have_attribute("data-pin-lat", "47.060000")
    assert hidden_point(page) == ("47.060000", "-0.879000")
    # …or typed in full: the town is looked up when the field is left.
    page.fill("#id_commune", "Angers")
    page.locator("#id_commune").blur()
    expect(page.locator(".pin-map")).to_have_attribute("data-pin-lat", f"{angers.latitude:.6f}")
    assert hidden_point(page) == (f"{angers.latitude:.6f}", f"{angers.longitude:.6f}")
    page.fill("#id_postal_code", "49000")

    page.fill("#id_email", "baumette@example.org")
    page.fill("#id_phone", "02 41 00 00 00")
    page.select_option("#id_opening_hours_sa_state", "open")
    page.fill("#id_opening_hours_sa_opens_1", "08:30")
    page.fill("#id_opening_hours_sa_closes_1", "12:30")
    page.check('input[name="delivery_modes"][data-mode="markets"]')
    page.fill("#id_delivery_details_markets", "marché du samedi à Angers")
    page.set_input_files("#id_photo_1", str(photo))
    page.check("#id_image_rights")

    page.locator(".pin-map").scroll_into_view_if_needed()
    before = hidden_point(page)
    drag_marker(page, DRAG_PIXELS, DRAG_PIXELS * 0.6)
    page.wait_for_function(
        "before => document.getElementById('id_latitude').value !== before[0]"
        " && document.getElementById('id_longitude').value !== before[1]",
        arg=list(before),
    )
    dragged = hidden_point(page)
    assert dragged != before
    assert marker_point(page) == list(dragged)
    # Dragged south-east: lower latitude, greater longitude.
    assert float(dragged[0]) < float(before[0]) and float(dragged[1]) > float(before[1])

    # The form refuses what is sent faster than a person could: wait that time out.
    page.wait_for_timeout(2_100)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Envoyer ma fiche").click()
    assert navigation.value.ok, f"{navigation.value.status} on {page.url}"
    assert page.url.endswith("/inscrire/merci/"), page.locator(".field-error, .form-errors").all_inner_texts()
    expect(page.locator("h1")).to_contain_text("attend")

    listing = Listing.objects.get()
    assert listing.status == Listing.Status.PENDING
    assert listing.commune == angers
    assert (listing.latitude, listing.longitude) == (float(dragged[0]), float(dragged[1]))
    assert [(d.mode.code, d.details) for d in listing.deliveries.all()] == [("markets", "marché du samedi à Angers")]
    # The public holidays choice was left as offered to a new listing: closed, as most French shops are.
    assert listing.opening_hours == "Sa 08:30-12:30; PH off"
    assert listing.photos.count() == 1

    # A volunteer logs in, opens the queue, the listing, and approves it.
    visit(page, live_server.url + reverse("admin:moderation_queue"))
    assert "/admin/login/" in page.url
    page.fill("#id_username", "camille")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator('input[type="submit"], button[type="submit"]').first.click()
    assert "/queue/" in page.url, page.url
    row = page.locator("#listings + .queue-table tr", has_text="Ferme de la Baumette")
    with page.expect_navigation():
        row.get_by_role("link").click()
    expect(page.locator("#content")).to_contain_text("marché du samedi à Angers")
    review_photo = page.locator('#content a[href*="/media/"] img')
    # (The live server does not serve uploaded files: the photo is checked by its address only.)
    expect(review_photo).to_have_count(1)
    with page.expect_navigation() as navigation:
        page.locator('button[name="action"][value="approve"]').click()
    assert navigation.value.ok
    expect(page.locator(".messagelist")).to_be_visible()
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PUBLISHED

    # The department map shows it where the producer put the pin.
    department = angers.department
    visit(page, live_server.url + department.get_absolute_url())
    assert page.url.endswith("/departements/49-maine-et-loire/")
    map_ = page.locator(".listing-map")
    page.wait_for_selector('.listing-map[data-map-state="ready"], .listing-map[data-map-state="error"]')
    expect(map_).to_have_attribute("data-map-state", "ready")
    expect(map_).to_have_attribute("data-marker-count", "1")
    expect(map_.locator(".leaflet-marker-icon")).to_have_attribute("title", "Ferme de la Baumette")
    geojson_url = map_.get_attribute("data-geojson-url")
    body = page.evaluate("url => fetch(url).then(response => response.text())", geojson_url)
    (feature,) = json.loads(body)["features"]
    lon, lat = feature["geometry"]["coordinates"]
    assert lat == pytest.approx(float(dragged[0]), abs=1e-5)
    assert lon == pytest.approx(float(dragged[1]), abs=1e-5)
    assert page.external_requests == [], "a page asked for resources outside the site"
    assert page.errors == []
