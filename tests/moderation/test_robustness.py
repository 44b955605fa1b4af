"""Findings of the security review: each of these failed before its fix."""

import re

import pytest
from django.core import mail

from moderation import emails
from moderation.models import EditToken
from producers.models import Listing
from tests.factories import ListingFactory

from .test_edit_link import form_data

pytestmark = pytest.mark.django_db


class BrokenMailServer:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")

    def open(self):
        pass

    def close(self):
        pass


def test_a_line_break_in_the_name_becomes_a_space(client, submission):
    # The name ends up in email subjects: it never holds a line break (the model's validator stays as a guard).
    response = client.post("/inscrire/", {**submission, "name": "Ferme\r\nBcc: x@example.org"})
    assert response.status_code == 302
    assert Listing.objects.get().name == "Ferme Bcc: x@example.org"


def test_an_email_subject_is_one_line_whatever_the_name(angers):
    listing = ListingFactory.build(name="Ferme\r\nBcc: x@example.org", email="p@example.org", commune=angers)
    assert emails.send("submitted", listing.email, {"listing": listing, "edit_url": "https://x/"})
    assert "\n" not in mail.outbox[0].subject and "\r" not in mail.outbox[0].subject


def test_a_mail_server_failure_keeps_the_submission_and_the_old_links(
    client, submission, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.moderation.test_robustness.BrokenMailServer"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/inscrire/", submission)
    assert response.status_code == 302  # the listing is stored; the producer can ask for the link again
    listing = Listing.objects.get()
    assert listing.status == Listing.Status.PENDING
    assert not EditToken.objects.active().filter(listing=listing).exists()


def test_an_approval_stands_when_the_email_fails_and_the_old_link_still_works(
    client, moderator_client, angers, category, settings
):
    from django.urls import reverse

    listing = ListingFactory(status=Listing.Status.PENDING, email="p@example.org", categories=[category])
    token = EditToken.issue(listing)
    settings.EMAIL_BACKEND = "tests.moderation.test_robustness.BrokenMailServer"
    url = reverse("admin:moderation_decide", kwargs={"kind": "listing", "pk": listing.pk})
    response = moderator_client.post(url, {"action": "approve"})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PUBLISHED
    assert client.get(f"/modifier/{token}/").status_code == 200


def test_the_lost_link_form_ignores_refused_listings(client, angers, django_capture_on_commit_callbacks):
    ListingFactory(status=Listing.Status.REJECTED, email="p@example.org")
    ListingFactory(status=Listing.Status.PUBLISHED, email="p@example.org", name="Ferme publiée")
    from .conftest import started_seconds_ago

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/inscrire/lien-perdu/", {"email": "p@example.org", "started": started_seconds_ago(), "fax_number": ""}
        )
    assert len(mail.outbox) == 1
    assert "Ferme publiée" in mail.outbox[0].body


def test_erasing_moves_the_pin_back_to_the_town_and_blanks_the_short_description(client, angers, category):
    listing = ListingFactory(
        email="p@example.org", short_description="Chez Jeanne", latitude=47.49, longitude=-0.53, categories=[category]
    )
    token = EditToken.issue(listing)
    assert client.post(f"/modifier/{token}/effacer/").status_code == 200
    listing.refresh_from_db()
    assert (listing.latitude, listing.longitude) == (angers.latitude, angers.longitude)
    assert listing.short_description == ""


def test_photo_file_names_cannot_be_guessed(client, submission):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_photos import jpeg

    photo = SimpleUploadedFile("IMG_1234.JPG", jpeg(), "image/jpeg")
    assert client.post("/inscrire/", {**submission, "image_rights": "on", "photo_1": photo}).status_code == 302
    stored = Listing.objects.get().photos.get()
    for name in (stored.image.name, stored.thumbnail.name):
        assert "img_1234" not in name.lower()
        assert re.fullmatch(r"producers/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", name), name


def test_an_edit_with_a_line_break_keeps_the_name_on_one_line(client, angers, category):
    listing = ListingFactory(status=Listing.Status.PENDING, email="p@example.org", categories=[category])
    token = EditToken.issue(listing)
    response = client.post(f"/modifier/{token}/", form_data(listing, name="Ferme\r\nX"))
    assert response.status_code == 200
    assert "moderation/edit_saved.html" in [t.name for t in response.templates]
    listing.refresh_from_db()
    assert listing.name == "Ferme X"


def test_a_listing_edited_while_the_volunteer_reads_it_is_not_approved_unseen(client, moderator_client, category):
    from django.urls import reverse

    listing = ListingFactory(status=Listing.Status.PENDING, name="Version lue", categories=[category])
    html = moderator_client.get(reverse("admin:moderation_review", args=["listing", listing.pk])).content.decode()
    seen = re.search(r'name="seen" value="([^"]+)"', html)[1]
    listing.name = "Version jamais lue"
    listing.save()  # the producer, through the private link
    url = reverse("admin:moderation_decide", kwargs={"kind": "listing", "pk": listing.pk})
    response = moderator_client.post(url, {"action": "approve", "seen": seen}, follow=True)
    assert (
        "pendant que vous la lisiez" in response.content.decode()
        or "while you were reading" in response.content.decode()
    )
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PENDING
    # Reviewed again, it can be approved.
    html = moderator_client.get(reverse("admin:moderation_review", args=["listing", listing.pk])).content.decode()
    seen = re.search(r'name="seen" value="([^"]+)"', html)[1]
    moderator_client.post(url, {"action": "approve", "seen": seen})
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PUBLISHED
