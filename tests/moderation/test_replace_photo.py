"""A producer with the six photos a listing may have replaces one in a single send: they tick the photo to take off
and choose the new one in the same form. The rule "six photos at most" still holds: a photo beyond what the ticks
allow is refused next to its own box, saying what to do, and everything else typed is kept."""

import importlib
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from moderation.forms import MAX_PHOTOS
from moderation.models import EditToken, Revision
from producers.models import Listing
from tests.factories import ListingFactory

from .test_edit_link import edit_url, form_data
from .test_photos import jpeg

pytestmark = pytest.mark.django_db

SUBMIT_URL = "/inscrire/"
REPLACE = "Pour en remplacer une, cochez-la ci-dessus et choisissez la nouvelle photo ci-dessous"
NOT_KEPT = (
    "Cette photo n’a pas été gardée : une fiche compte 6 photos au maximum. Cochez ci-dessus la photo qu’elle "
    "remplace, puis choisissez-la de nouveau ici."
)
BLUE = (0, 0, 200)


def new_photo(color=BLUE):
    return SimpleUploadedFile("nouvelle.jpg", jpeg((300, 200), color), "image/jpeg")


def photo_boxes(page):
    return re.findall(r'<input type="file" name="(photo_\d)"', page)


def kept_value(page):
    return re.search(r'name="kept_photos" value="([^"]*)"', page)[1]


def is_blue(image_file):
    with Image.open(image_file) as image:
        red, _green, blue = image.convert("RGB").getpixel((10, 10))
    return blue > 150 and red < 50


@pytest.fixture
def full(angers, category):
    """A listing waiting for review, with its six photos (an edit changes it directly)."""
    listing = ListingFactory(
        status=Listing.Status.PENDING, name="Ferme du Lac", email="lac@example.org", categories=[category]
    )
    for position in range(MAX_PHOTOS):
        listing.photos.create(image=ContentFile(jpeg(), name=f"etal-{position}.jpg"), position=position)
    return listing


@pytest.fixture
def full_published(full):
    full.status = Listing.Status.PUBLISHED
    full.save()
    return full


class TestEditPage:
    def test_a_pending_listing_with_six_photos_replaces_one_in_one_send(self, client, full):
        token = EditToken.issue(full)
        page = client.get(edit_url(token)).content.decode()
        # Without JavaScript the box must be there before any tick: it was not, so it took two sends.
        assert photo_boxes(page) == ["photo_1"]
        assert REPLACE in page
        assert 'name="image_rights"' in page

        first = full.photos.order_by("position").first()
        data = {**form_data(full), "remove_photos": [first.pk], "image_rights": "on", "photo_1": new_photo()}
        assert "enregistrées" in client.post(edit_url(token), data).content.decode()
        photos = list(full.photos.order_by("position"))
        assert len(photos) == MAX_PHOTOS
        assert first.pk not in [photo.pk for photo in photos]
        assert is_blue(photos[-1].image)

    def test_a_published_listing_with_six_photos_replaces_one_in_one_send(self, client, full_published):
        token = EditToken.issue(full_published)
        assert photo_boxes(client.get(edit_url(token)).content.decode()) == ["photo_1"]

        first = full_published.photos.first()
        data = {**form_data(full_published), "remove_photos": [first.pk], "image_rights": "on", "photo_1": new_photo()}
        assert "enregistrées" in client.post(edit_url(token), data).content.decode()
        waiting = Revision.objects.pending().get()
        assert waiting.data["remove_photos"] == [first.pk]
        assert [is_blue(photo.image) for photo in waiting.photos.all()] == [True]
        assert full_published.photos.count() == MAX_PHOTOS  # live until a volunteer approves

    def test_a_seventh_photo_is_refused_next_to_its_box_saying_what_to_do_and_the_rest_is_kept(self, client, full):
        token = EditToken.issue(full)
        data = {**form_data(full, description="Nouvelle description."), "image_rights": "on", "photo_1": new_photo()}
        response = client.post(edit_url(token), data)
        assert response.status_code == 200
        form = response.context["form"]
        assert list(form.errors) == ["photo_1"], form.errors
        page = response.content.decode()
        # Next to the box, which is still offered, and linked from the summary at the top.
        assert re.search(r'id="id_photo_1_error">.*' + re.escape(NOT_KEPT), page, re.S)
        assert photo_boxes(page) == ["photo_1"]
        assert '<a href="#id_photo_1">Photo 1 : ' + NOT_KEPT in page
        assert "Nouvelle description." in page
        assert 'name="remove_kept"' not in page  # a refused photo is not kept as if it were accepted
        assert full.photos.count() == MAX_PHOTOS
        assert Listing.objects.get(pk=full.pk).description != "Nouvelle description."

    def test_a_replacement_survives_another_answers_mistake_and_goes_through_once_corrected(self, client, full):
        token = EditToken.issue(full)
        first = full.photos.order_by("position").first()
        data = {**form_data(full, name=""), "remove_photos": [first.pk], "image_rights": "on", "photo_1": new_photo()}
        page = client.post(edit_url(token), data).content.decode()
        assert "Indiquez le nom de votre activité." in page
        # The new photo is kept with the form, the tick too.
        assert len(re.findall(r'name="remove_kept"', page)) == 1
        assert re.search(rf'name="remove_photos" value="{first.pk}"[^>]* checked', page)

        corrected = {**form_data(full), "remove_photos": [first.pk], "image_rights": "on"}
        corrected["kept_photos"] = kept_value(page)
        assert "enregistrées" in client.post(edit_url(token), corrected).content.decode()
        photos = list(full.photos.order_by("position"))
        assert len(photos) == MAX_PHOTOS
        assert is_blue(photos[-1].image)

    def test_untick_the_removal_after_a_mistake_and_the_kept_photo_is_refused_with_what_to_do(self, client, full):
        token = EditToken.issue(full)
        first = full.photos.order_by("position").first()
        data = {**form_data(full, name=""), "remove_photos": [first.pk], "image_rights": "on", "photo_1": new_photo()}
        page = client.post(edit_url(token), data).content.decode()

        unticked = {**form_data(full), "image_rights": "on", "kept_photos": kept_value(page)}
        response = client.post(edit_url(token), unticked)
        assert list(response.context["form"].errors) == ["remove_photos"]
        page = response.content.decode()
        assert re.search(r'id="id_remove_photos_error">.*cochez celles à retirer', page, re.S)
        assert len(re.findall(r'name="remove_kept"', page)) == 1  # still kept
        assert full.photos.count() == MAX_PHOTOS


class TestRegistration:
    def six_kept(self, client, submission):
        photos = {f"photo_{n}": new_photo((40 * n, 120, 60)) for n in range(1, MAX_PHOTOS + 1)}
        page = client.post(SUBMIT_URL, {**submission, "email": "x", "image_rights": "on", **photos}).content.decode()
        names = re.findall(r'name="remove_kept" value="([^"]+)"', page)
        assert len(names) == MAX_PHOTOS
        return page, names

    def test_six_photos_kept_across_a_mistake_leave_a_box_to_replace_one(self, client, submission):
        page, names = self.six_kept(client, submission)
        assert photo_boxes(page) == ["photo_1"]
        assert REPLACE in page

        data = {
            **submission,
            "kept_photos": kept_value(page),
            "remove_kept": [names[0]],
            "image_rights": "on",
            "photo_1": new_photo(),
        }
        assert client.post(SUBMIT_URL, data).status_code == 302
        photos = list(Listing.objects.get().photos.order_by("position"))
        assert len(photos) == MAX_PHOTOS
        assert is_blue(photos[-1].image)

    def test_a_seventh_photo_is_refused_next_to_its_box_and_the_six_stay_kept(self, client, submission):
        page, _names = self.six_kept(client, submission)
        data = {**submission, "kept_photos": kept_value(page), "image_rights": "on", "photo_1": new_photo()}
        response = client.post(SUBMIT_URL, data)
        assert list(response.context["form"].errors) == ["photo_1"]
        page = response.content.decode()
        assert NOT_KEPT in page
        assert len(re.findall(r'name="remove_kept"', page)) == MAX_PHOTOS
        assert 'value="Ferme des Trois Chênes"' in page
        assert not Listing.objects.exists()


class TestApprovedReplacement:
    """A published listing's replacement waits for a volunteer: once approved, the new photo goes last, after the
    photos kept, as it does at once on a listing not published yet. It took the position it had within the edit
    (numbered from 0 there): replacing the 6th photo put the new one 2nd, replacing the 1st made it the cover."""

    def replace(self, client, listing, photo):
        token = EditToken.issue(listing)
        data = {**form_data(listing), "remove_photos": [photo.pk], "image_rights": "on", "photo_1": new_photo()}
        assert "enregistrées" in client.post(edit_url(token), data).content.decode()

    @pytest.mark.parametrize("replaced", [0, MAX_PHOTOS - 1], ids=["first", "last"])
    def test_the_new_photo_goes_last_once_approved(self, client, full_published, moderator, replaced):
        before = list(full_published.photos.all())
        self.replace(client, full_published, before[replaced])
        Revision.objects.pending().get().approve(by=moderator)
        after = list(Listing.objects.get(pk=full_published.pk).photos.all())
        kept = [photo.pk for photo in before if photo != before[replaced]]
        assert [photo.pk for photo in after[:-1]] == kept
        assert is_blue(after[-1].image)
        assert len({photo.position for photo in after}) == MAX_PHOTOS

    def test_a_pending_listing_puts_the_new_photo_last_too(self, client, full):
        before = list(full.photos.all())
        self.replace(client, full, before[0])
        after = list(full.photos.all())
        assert [photo.pk for photo in after[:-1]] == [photo.pk for photo in before[1:]]
        assert is_blue(after[-1].image)
        # Its own position, not the last photo's: a tie left their order to the database.
        assert len({photo.position for photo in after}) == MAX_PHOTOS


def test_an_edit_approved_while_the_next_one_is_checked_is_told_and_the_limit_holds(
    client, full_published, moderator, monkeypatch
):
    """The producer ticks a photo of their waiting edit and sends a new one; a volunteer approves that edit while
    this send is checked, before it takes the listing's lock. The tick was silently dropped (the photo had joined the
    listing) and the new photo added: seven photos once approved. The producer is told instead, their input kept."""
    edit_view = importlib.import_module("moderation.views.edit")
    token = EditToken.issue(full_published)
    full_published.photos.last().delete()
    client.post(edit_url(token), {**form_data(full_published), "image_rights": "on", "photo_1": new_photo()})
    waiting = Revision.objects.pending().get()
    ticked = waiting.photos.get()
    really_may_store = edit_view._may_store

    def approved_meanwhile(form, limits):
        checked = really_may_store(form, limits)  # the form is checked: 5 photos + 1 waiting - 1 ticked + 1 new
        Revision.objects.get(pk=waiting.pk).approve(by=moderator)
        return checked

    monkeypatch.setattr(edit_view, "_may_store", approved_meanwhile)
    data = {**form_data(full_published), "remove_edit_photos": [ticked.pk], "image_rights": "on"}
    data["photo_1"] = new_photo()
    response = client.post(edit_url(token), data)
    monkeypatch.setattr(edit_view, "_may_store", really_may_store)

    page = response.content.decode()
    assert "Un bénévole a traité vos modifications en attente" in page
    assert not Revision.objects.pending().exists()
    assert full_published.photos.count() == MAX_PHOTOS
    # Sent again, the new photo kept with the form is counted against the listing as approved.
    again = {**form_data(full_published), "image_rights": "on", "kept_photos": kept_value(page)}
    again["version"] = re.search(r'name="version" value="([^"]*)"', page)[1]
    response = client.post(edit_url(token), again)
    assert list(response.context["form"].errors) == ["remove_photos"]
    assert not Revision.objects.pending().exists()
