"""The photos of an edit waiting for review, which a second edit of a published listing carries over: they count
within the six photos of a listing, and the producer may remove them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from moderation.admin import decide
from moderation.forms import MAX_PHOTOS
from moderation.models import Decision, EditToken, Revision, RevisionPhoto
from tests.factories import ListingFactory, UserFactory

from .test_edit_link import edit_url, form_data
from .test_photos import jpeg

pytestmark = pytest.mark.django_db


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
