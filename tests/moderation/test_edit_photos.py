"""The photos of an edit waiting for review, which a second edit of a published listing carries over: they count
within the six photos of a listing, and the producer may remove them."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from moderation.admin import decide
from moderation.forms import MAX_PHOTOS
from moderation.models import Decision, EditToken, Revision, RevisionPhoto
from tests.factories import ListingFactory, UserFactory

from .test_edit_link import edit_url, form_data
from .test_photos import jpeg

pytestmark = pytest.mark.django_db

PHOTOS_FULL = "Une fiche compte 6 photos au maximum, et la vôtre les a toutes."


def _six_photos():
    return {f"photo_{n}": SimpleUploadedFile(f"p{n}.jpg", jpeg(), "image/jpeg") for n in range(1, MAX_PHOTOS + 1)}


def test_two_edits_of_a_published_listing_stay_within_six_photos(client, angers, category):
    """A second edit carries the first one's photos: they count, or 6 + 6 photos were approved."""
    published = ListingFactory(name="Ferme du Lac", email="lac@example.org", categories=[category])
    token = EditToken.issue(published)
    client.post(edit_url(token), {**form_data(published), "image_rights": "on", **_six_photos()})
    page = client.post(
        edit_url(token), {**form_data(published, description="Encore."), "image_rights": "on", **_six_photos()}
    )
    assert "6 photos au maximum" in page.content.decode()
    revision = Revision.objects.pending().get()
    decide("revision", revision.pk, Decision.Action.APPROVE, UserFactory(username="alice", is_staff=True))
    assert published.photos.count() == MAX_PHOTOS


def test_a_photo_of_the_waiting_edit_can_be_removed_to_send_another(client, angers, category):
    published = ListingFactory(name="Ferme du Lac", email="lac@example.org", categories=[category])
    token = EditToken.issue(published)
    client.post(edit_url(token), {**form_data(published), "image_rights": "on", **_six_photos()})
    first = Revision.objects.pending().get().photos.first()
    page = client.get(edit_url(token)).content.decode()
    assert "Retirer la photo en attente 6" in page
    new = SimpleUploadedFile("autre.jpg", jpeg(color=(0, 0, 200)), "image/jpeg")
    data = {**form_data(published), "image_rights": "on", "remove_edit_photos": [first.pk], "photo_1": new}
    assert "enregistrées" in client.post(edit_url(token), data).content.decode()
    waiting = Revision.objects.pending().get()
    assert waiting.photos.count() == MAX_PHOTOS
    assert not RevisionPhoto.objects.filter(pk=first.pk).exists()


def _with_photos(listing, count):
    for position in range(count):
        listing.photos.create(image=ContentFile(jpeg(), name=f"etal-{position}.jpg"), position=position)


def _photo_boxes(page):
    return re.findall(r'<input type="file" name="(photo_\d)"', page)


def test_the_edit_page_offers_only_the_boxes_the_limit_leaves(client, angers, category):
    """It offered six empty boxes beside four photos: the producer filled them and was told "6 photos at most"."""
    listing = ListingFactory(name="Ferme du Lac", email="lac@example.org", categories=[category])
    _with_photos(listing, 4)
    page = client.get(edit_url(EditToken.issue(listing))).content.decode()
    assert _photo_boxes(page) == ["photo_1", "photo_2"]
    assert PHOTOS_FULL not in page


def test_the_photos_of_the_waiting_edit_take_their_boxes_too(client, angers, category):
    published = ListingFactory(name="Ferme du Lac", email="lac@example.org", categories=[category])
    _with_photos(published, 2)
    token = EditToken.issue(published)
    photo = SimpleUploadedFile("p.jpg", jpeg(), "image/jpeg")
    client.post(edit_url(token), {**form_data(published), "image_rights": "on", "photo_1": photo})
    page = client.get(edit_url(token)).content.decode()
    assert _photo_boxes(page) == ["photo_1", "photo_2", "photo_3"]


def test_a_listing_with_all_its_photos_is_told_how_to_replace_one_and_the_server_still_refuses_a_seventh(
    client, angers, category
):
    """One box, for the photo that replaces a ticked one (test_replace_photo): without a tick it is refused."""
    listing = ListingFactory(name="Ferme du Lac", email="lac@example.org", categories=[category])
    _with_photos(listing, MAX_PHOTOS)
    token = EditToken.issue(listing)
    page = client.get(edit_url(token)).content.decode()
    assert _photo_boxes(page) == ["photo_1"]
    assert PHOTOS_FULL in page

    photo = SimpleUploadedFile("p.jpg", jpeg(), "image/jpeg")
    page = client.post(edit_url(token), {**form_data(listing), "image_rights": "on", "photo_1": photo})
    assert "6 photos au maximum" in page.content.decode()
    assert not Revision.objects.exists()


def test_a_published_listing_with_all_its_photos_replaces_one_as_the_page_says(client, angers, category):
    """The page says: tick one, send the form, then add the new one. On a published listing the removal waits for
    review in the edit, so the listing still had six photos and the page came back with no box and the same
    message."""
    listing = ListingFactory(name="Ferme du Lac", email="lac@example.org", categories=[category])
    _with_photos(listing, MAX_PHOTOS)
    token = EditToken.issue(listing)
    first = listing.photos.first()
    page = client.post(edit_url(token), {**form_data(listing), "remove_photos": [first.pk]}).content.decode()
    assert "enregistrées" in page

    page = client.get(edit_url(token)).content.decode()
    assert _photo_boxes(page) == ["photo_1"]  # the photo on its way out makes room for one
    assert PHOTOS_FULL not in page
    new = SimpleUploadedFile("autre.jpg", jpeg(color=(0, 0, 200)), "image/jpeg")
    data = {**form_data(listing), "remove_photos": [first.pk], "image_rights": "on", "photo_1": new}
    assert "enregistrées" in client.post(edit_url(token), data).content.decode()
    waiting = Revision.objects.pending().get()
    assert (waiting.data["remove_photos"], waiting.photos.count()) == ([first.pk], 1)


def test_a_photo_ticked_for_removal_makes_room_when_the_form_comes_back_with_a_mistake(client, angers, category):
    listing = ListingFactory(name="Ferme du Lac", email="lac@example.org", categories=[category])
    _with_photos(listing, MAX_PHOTOS)
    removed = list(listing.photos.values_list("pk", flat=True)[:2])
    page = client.post(
        edit_url(EditToken.issue(listing)), {**form_data(listing, name=""), "remove_photos": removed}
    ).content.decode()
    assert "Indiquez le nom de votre activité." in page
    assert _photo_boxes(page) == ["photo_1", "photo_2"]
