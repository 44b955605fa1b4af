"""A listing's photos keep their order however many photos it has taken over the years. A new photo was numbered after
the highest position, so positions only grew: past 32,767, what a PositiveSmallIntegerField holds, the next photo
failed to save (PostgreSQL refuses the number: a server error for the producer, or for the volunteer approving the
edit). Listings whose photos already sit at the top of the range take a new photo, in the order they showed. Below
it, the other photos keep their positions: a volunteer's admin page opened before a photo was added posts them back."""

from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.db import transaction as django_transaction
from django.urls import reverse

from localdir import images
from moderation.models import EditToken, Revision, RevisionPhoto
from moderation.views.submit import _save_photos
from producers.models import Listing
from tests.factories import ListingFactory
from tests.producers.test_admin_edited_meanwhile import page_seen

from .test_decisions import listing_admin_data
from .test_edit_link import edit_url, form_data
from .test_photos import jpeg
from .test_replace_photo import is_blue, new_photo

pytestmark = pytest.mark.django_db

# The largest position a PositiveSmallIntegerField holds on every database (SQLite would store more, PostgreSQL not).
TOP = 32767
# Not in the order of their primary keys, and two at the same position: the order shown is (position, pk).
NEAR_THE_TOP = [TOP, TOP - 2, TOP - 2, TOP - 1]


def _photos_at(owner, positions):
    for n, position in enumerate(positions):
        owner.photos.create(image=ContentFile(jpeg(), name=f"etal-{n}.jpg"), position=position)
    return [photo.pk for photo in owner.photos.order_by("position", "pk")]


def _fits(photos):
    return all(0 <= photo.position <= TOP for photo in photos)


@pytest.fixture
def listing(angers, category):
    return ListingFactory(name="Ferme du Lac", email="lac@example.org", categories=[category])


def test_a_listing_waiting_for_review_takes_a_new_photo_last(client, listing):
    listing.status = Listing.Status.PENDING
    listing.save()
    shown = _photos_at(listing, NEAR_THE_TOP)
    token = EditToken.issue(listing)
    data = {**form_data(listing), "image_rights": "on", "photo_1": new_photo()}
    assert "enregistrées" in client.post(edit_url(token), data).content.decode()
    after = list(listing.photos.all())
    assert [photo.pk for photo in after[:-1]] == shown
    assert is_blue(after[-1].image)
    assert _fits(after)


def test_a_replacement_approved_by_a_volunteer_goes_last(client, moderator_client, listing):
    shown = _photos_at(listing, NEAR_THE_TOP)
    token = EditToken.issue(listing)
    data = {**form_data(listing), "remove_photos": [shown[0]], "image_rights": "on", "photo_1": new_photo()}
    assert "enregistrées" in client.post(edit_url(token), data).content.decode()
    revision = Revision.objects.pending().get()
    response = moderator_client.post(
        reverse("admin:moderation_decide", args=["revision", revision.pk]), {"action": "approve"}
    )
    assert response.status_code == 302
    after = list(Listing.objects.get(pk=listing.pk).photos.all())
    assert [photo.pk for photo in after[:-1]] == shown[1:]
    assert is_blue(after[-1].image)
    assert _fits(after)


def test_a_second_edit_adds_its_photo_after_the_waiting_edits_photos(client, moderator, listing):
    waiting = Revision.objects.create(listing=listing, data={})
    waiting_photos = [RevisionPhoto.objects.get(pk=pk).image.name for pk in _photos_at(waiting, NEAR_THE_TOP)]
    token = EditToken.issue(listing)
    data = {**form_data(listing), "image_rights": "on", "photo_1": new_photo()}
    assert "enregistrées" in client.post(edit_url(token), data).content.decode()
    edit = Revision.objects.pending().get()
    proposed = list(edit.photos.all())
    assert [photo.image.name for photo in proposed[:-1]] == waiting_photos
    assert is_blue(proposed[-1].image)
    assert _fits(proposed)
    edit.approve(by=moderator)
    assert [photo.image.name for photo in listing.photos.all()] == [photo.image.name for photo in proposed]


class _PhotoInline(HTMLParser):
    """The photo inline's boxes and its management form, with the values the admin page was built with, as a browser
    sends them (no file chosen, boxes not ticked left out)."""

    def __init__(self):
        super().__init__()
        self.data = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name") or ""
        if tag != "input" or not name.startswith("photos-") or "__prefix__" in name or attrs.get("type") == "file":
            return
        if attrs.get("type") == "checkbox" and "checked" not in attrs:
            return
        self.data[name] = attrs.get("value") or ""


def test_a_volunteers_page_opened_before_a_new_photo_keeps_the_cover(admin_client, listing):
    listing.status = Listing.Status.PENDING
    listing.save()
    shown = _photos_at(listing, [5, 9])
    url = reverse("admin:producers_listing_change", args=[listing.pk])
    page = admin_client.get(url).content.decode()
    inline = _PhotoInline()
    inline.feed(page)
    assert inline.data["photos-INITIAL_FORMS"] == "2"
    # Meanwhile the producer adds a photo through their edit link (the listing is not public yet: it is stored at once).
    with django_transaction.atomic():
        _save_photos([images.process_image(new_photo())], Listing.objects.select_for_update().get(pk=listing.pk))

    # The volunteer saves the page unchanged.
    data = {**listing_admin_data(listing), **inline.data, "seen": page_seen(page)}
    response = admin_client.post(url, data)

    assert response.status_code == 302
    after = list(listing.photos.all())
    assert [photo.pk for photo in after[:-1]] == shown
    assert is_blue(after[-1].image)
