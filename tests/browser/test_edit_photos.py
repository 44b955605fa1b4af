"""A producer takes a photo off their listing through the private link, on a phone: each photo is shown beside its
own "Remove photo n" box, not named by its stored file path (which pushed the page wider than the phone)."""

import io
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from playwright.sync_api import expect

from moderation.models import EditToken, Revision
from producers.models import Listing, ListingPhoto
from tests.factories import CategoryFactory, CommuneFactory, ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def jpeg(color):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def listing_with_photos():
    CommuneFactory()
    listing = ListingFactory(
        status=Listing.Status.PENDING,
        name="Ferme du Lac",
        email="lac@example.org",
        categories=[CategoryFactory(name="Légumes", slug="legumes")],
    )
    for position, color in enumerate([(90, 140, 60), (200, 80, 40)]):
        listing.photos.create(image=ContentFile(jpeg(color), name=f"etal-{position}.jpg"), position=position)
    return listing


def test_a_producer_removes_one_photo_by_sight_on_a_phone(page, live_server, site_settings, listing_with_photos):
    site_settings.MODERATION_MIN_FILL_SECONDS = 0
    site_settings.CSRF_TRUSTED_ORIGINS = [live_server.url, live_server.url.replace("http://", "https://")]
    page.set_viewport_size({"width": 390, "height": 844})
    listing = listing_with_photos
    first, second = listing.photos.order_by("position")
    page.goto(f"{live_server.url}/modifier/{EditToken.issue(listing)}/")

    photos = page.get_by_role("group", name="Retirer ces photos")
    expect(photos.get_by_role("img", name="Photo actuelle 1")).to_be_visible()
    expect(photos.get_by_role("img", name="Photo actuelle 2")).to_be_visible()
    assert "producers/" not in photos.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    photos.get_by_role("checkbox", name="Retirer la photo 1").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer mes modifications").click()

    expect(page.get_by_role("heading", name="Vos modifications sont enregistrées")).to_be_visible()
    assert list(listing.photos.values_list("pk", flat=True)) == [second.pk]
    assert not ListingPhoto.objects.filter(pk=first.pk).exists()
    assert page.errors == []


def test_coming_back_to_a_published_listing_shows_the_edit_waiting_and_keeps_its_photo(
    page, live_server, site_settings, tmp_path
):
    """The producer sends a new description and a photo, comes back through their link to fix a typo: the form shows
    what they sent (it showed the live listing, so the second send undid the first and dropped the photo)."""
    site_settings.MODERATION_MIN_FILL_SECONDS = 0
    site_settings.CSRF_TRUSTED_ORIGINS = [live_server.url, live_server.url.replace("http://", "https://")]
    page.set_viewport_size({"width": 390, "height": 844})
    CommuneFactory()
    listing = ListingFactory(
        name="Ferme du Lac", email="lac@example.org", categories=[CategoryFactory(name="Légumes", slug="legumes")]
    )
    photo = tmp_path / "etal.jpg"
    photo.write_bytes(jpeg((90, 140, 60)))
    link = f"{live_server.url}/modifier/{EditToken.issue(listing)}/"
    save = page.get_by_role("button", name="Enregistrer mes modifications")

    page.goto(link)
    page.fill("#id_description", "Légumes de plein champ, vente le samedi matin à la frme.")
    page.set_input_files("#id_photo_1", str(photo))
    page.check("#id_image_rights")
    with page.expect_navigation():
        save.click()
    expect(page.get_by_role("heading", name="Vos modifications sont enregistrées")).to_be_visible()

    page.goto(link)
    expect(page.get_by_text("le formulaire ci-dessous les montre")).to_be_visible()
    expect(page.locator("#id_description")).to_have_value("Légumes de plein champ, vente le samedi matin à la frme.")
    page.fill("#id_description", "Légumes de plein champ, vente le samedi matin à la ferme.")
    with page.expect_navigation():
        save.click()
    expect(page.get_by_role("heading", name="Vos modifications sont enregistrées")).to_be_visible()

    waiting = Revision.objects.pending().get()
    assert waiting.data["description"] == "Légumes de plein champ, vente le samedi matin à la ferme."
    assert waiting.photos.count() == 1
    assert page.errors == []


def test_a_listing_with_two_photos_offers_the_four_boxes_left(page, live_server, site_settings):
    """On a phone, six empty boxes under the photos were a long way to scroll to be told "6 photos at most"."""
    site_settings.MODERATION_MIN_FILL_SECONDS = 0
    page.set_viewport_size({"width": 390, "height": 844})
    CommuneFactory()
    category = CategoryFactory(name="Légumes", slug="legumes")
    two = ListingFactory(status=Listing.Status.PENDING, email="a@example.org", categories=[category])
    for position in range(2):
        two.photos.create(image=ContentFile(jpeg((90, 140, 60)), name=f"p{position}.jpg"), position=position)

    page.goto(f"{live_server.url}/modifier/{EditToken.issue(two)}/")
    expect(page.locator('input[type="file"]')).to_have_count(4)
    expect(page.locator("#photos-full")).to_have_count(0)
    assert page.errors == []


@pytest.fixture
def phone_without_javascript(browser, live_server, site_settings):
    site_settings.MODERATION_MIN_FILL_SECONDS = 0
    site_settings.CSRF_TRUSTED_ORIGINS = [live_server.url, live_server.url.replace("http://", "https://")]
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    server = urlsplit(live_server.url).netloc
    page.route(
        "**/*",
        lambda route: (
            route.continue_(headers={**route.request.headers, "x-forwarded-proto": "https"})
            if urlsplit(route.request.url).netloc == server
            else route.abort()
        ),
    )
    yield page
    context.close()


def test_a_listing_with_all_its_photos_replaces_one_in_one_send_without_javascript_by_keyboard(
    phone_without_javascript, live_server, tmp_path
):
    """The page offered no box at six photos and said "tick one, send, then add the new one": two sends. The box is
    there from the start; a photo chosen without a tick is refused beside it, within the phone's width."""
    page = phone_without_javascript
    CommuneFactory()
    listing = ListingFactory(
        name="Ferme du Lac", email="lac@example.org", categories=[CategoryFactory(name="Légumes", slug="legumes")]
    )
    for position in range(6):
        listing.photos.create(image=ContentFile(jpeg((90, 140, 60)), name=f"p{position}.jpg"), position=position)
    first = listing.photos.order_by("position").first()
    photo = tmp_path / "nouvelle.jpg"
    photo.write_bytes(jpeg((0, 0, 200)))
    save = page.get_by_role("button", name="Enregistrer mes modifications")

    page.goto(f"{live_server.url}/modifier/{EditToken.issue(listing)}/")
    expect(page.locator("#photos-full")).to_have_text(
        "Une fiche compte 6 photos au maximum, et la vôtre les a toutes. Pour en remplacer une, cochez-la ci-dessus "
        "et choisissez la nouvelle photo ci-dessous : les deux se font quand vous envoyez le formulaire."
    )
    box = page.locator("#id_photo_1")
    expect(box).to_have_count(1)

    # Chosen without a tick: refused next to its box, saying what to do, the description typed kept.
    page.fill("#id_description", "Nos légumes, nos œufs.")
    box.set_input_files(str(photo))
    page.get_by_label("Ces photos m’appartiennent", exact=False).check()
    with page.expect_navigation():
        save.click()
    error = page.locator("#id_photo_1_error")
    expect(error).to_contain_text("Cochez ci-dessus la photo qu’elle remplace, puis choisissez-la de nouveau ici.")
    expect(page.locator("#id_description")).to_have_value("Nos légumes, nos œufs.")
    box.scroll_into_view_if_needed()
    expect(box).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"

    # By keyboard: the tick, then the photo again in the same send.
    page.get_by_role("group", name="Retirer ces photos").get_by_role("checkbox", name="Retirer la photo 1").focus()
    page.keyboard.press("Space")
    box.set_input_files(str(photo))
    save.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Vos modifications sont enregistrées")).to_be_visible()
    waiting = Revision.objects.pending().get()
    assert (waiting.data["remove_photos"], waiting.photos.count()) == ([first.pk], 1)
    assert waiting.data["description"] == "Nos légumes, nos œufs."


def test_a_published_listing_with_all_its_photos_replaces_one_as_the_page_says(
    page, live_server, site_settings, tmp_path
):
    """The page says: tick one, send, then add the new one. On a published listing the removal waits for review, and
    coming back the page still offered no box."""
    site_settings.MODERATION_MIN_FILL_SECONDS = 0
    page.set_viewport_size({"width": 390, "height": 844})
    CommuneFactory()
    listing = ListingFactory(
        name="Ferme du Lac", email="lac@example.org", categories=[CategoryFactory(name="Légumes", slug="legumes")]
    )
    for position in range(6):
        listing.photos.create(image=ContentFile(jpeg((90, 140, 60)), name=f"p{position}.jpg"), position=position)
    photo = tmp_path / "nouvelle.jpg"
    photo.write_bytes(jpeg((0, 0, 200)))
    save = page.get_by_role("button", name="Enregistrer mes modifications")

    page.goto(f"{live_server.url}/modifier/{EditToken.issue(listing)}/")
    expect(page.locator("#photos-full")).to_be_visible()
    # Ticked and sent alone, the new photo left for later (as the page said before one send could do both).
    page.get_by_role("group", name="Retirer ces photos").get_by_role("checkbox", name="Retirer la photo 1").check()
    with page.expect_navigation():
        save.click()
    expect(page.get_by_role("heading", name="Vos modifications sont enregistrées")).to_be_visible()

    page.get_by_role("link", name="Retour à ma fiche").click()
    expect(page.get_by_role("checkbox", name="Retirer la photo 1")).to_be_checked()
    expect(page.locator('input[type="file"]')).to_have_count(1)
    expect(page.locator("#photos-full")).to_have_count(0)
    page.set_input_files("#id_photo_1", str(photo))
    page.check("#id_image_rights")
    with page.expect_navigation():
        save.click()
    expect(page.get_by_role("heading", name="Vos modifications sont enregistrées")).to_be_visible()
    waiting = Revision.objects.pending().get()
    assert (len(waiting.data["remove_photos"]), waiting.photos.count()) == (1, 1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.errors == []
