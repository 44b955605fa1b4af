"""Photos survive a validation error: kept server-side, re-encoded under a random name, tied to the form by a signed
value, shown again with a "remove" box, stored with the corrected form, and purged after 24 hours if never sent."""

import os
import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from localdir import kept_files
from moderation import retention
from moderation.models import EditToken
from producers.models import Listing
from tests.factories import ListingFactory

from .test_edit_link import form_data
from .test_photos import jpeg

pytestmark = pytest.mark.django_db

URL = "/inscrire/"


def upload(name="ferme.jpg", color=(200, 100, 50), size=(1200, 900)):
    return SimpleUploadedFile(name, jpeg(size, color) + b"<script>payload</script>", "image/jpeg")


def kept_value(response):
    return re.search(r'name="kept_photos" value="([^"]*)"', response.content.decode())[1]


def pending_files():
    try:
        return sorted(default_storage.listdir(kept_files.PENDING_DIR)[1])
    except FileNotFoundError:
        return []


def test_a_photo_and_the_consent_survive_an_error_and_are_stored_with_the_corrected_form(client, submission):
    data = {**submission, "email": "pas-une-adresse", "image_rights": "on", "photo_1": upload()}
    response = client.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    # Shown again, with its "remove" box, and the consent still ticked.
    assert re.search(r'<img src="/media/moderation/pending/[0-9a-f]{32}-medium\.jpg" alt="[^"]+"', html)
    assert 'name="remove_kept"' in html
    assert re.search(r'<input type="checkbox" name="image_rights"[^>]* checked', html)
    # Kept re-encoded: no trailing payload, under a random name unrelated to "ferme.jpg".
    [main, medium] = sorted(pending_files(), key=len)
    assert "ferme" not in main
    stored = default_storage.open(f"{kept_files.PENDING_DIR}/{main}").read()
    assert stored.startswith(b"\xff\xd8") and b"<script" not in stored

    corrected = {**submission, "kept_photos": kept_value(response), "image_rights": "on"}
    assert client.post(URL, corrected).status_code == 302
    photo = Listing.objects.get().photos.get()
    with Image.open(photo.image) as image:
        assert image.size == (1200, 900)
    assert photo.thumbnail
    assert pending_files() == []


def test_a_kept_photo_ticked_for_removal_is_not_stored(client, submission):
    data = {**submission, "email": "x", "image_rights": "on", "photo_1": upload(), "photo_2": upload(color=(0, 0, 0))}
    response = client.post(URL, data)
    names = re.findall(r'name="remove_kept" value="([^"]+)"', response.content.decode())
    assert len(names) == 2
    corrected = {**submission, "kept_photos": kept_value(response), "remove_kept": [names[1]], "image_rights": "on"}
    assert client.post(URL, corrected).status_code == 302
    with Image.open(Listing.objects.get().photos.get().image) as image:
        assert image.getpixel((10, 10))[0] > 150  # the red one, not the black one
    assert pending_files() == []


def test_kept_photos_still_need_the_consent(client, submission):
    response = client.post(URL, {**submission, "email": "x", "photo_1": upload()})
    response = client.post(URL, {**submission, "kept_photos": kept_value(response)})
    assert list(response.context["form"].errors) == ["image_rights"]
    assert 'name="remove_kept"' in response.content.decode()


def test_a_forged_or_tampered_value_opens_no_file(client, submission, settings):
    victim = f"{kept_files.PENDING_DIR}/{'a' * 32}.jpg"
    default_storage.save(victim, SimpleUploadedFile("x.jpg", jpeg()))
    forged = [
        signing.dumps(["../../../etc/passwd"], salt=kept_files.SALT),
        signing.dumps([f"{'a' * 32}.jpg"], salt="another salt"),
        f"{'a' * 32}.jpg",
        "",
    ]
    for value in forged:
        response = client.post(URL, {**submission, "email": "x", "kept_photos": value, "image_rights": "on"})
        assert 'name="remove_kept"' not in response.content.decode()
    assert client.post(URL, {**submission, "kept_photos": forged[1], "image_rights": "on"}).status_code == 302
    assert not Listing.objects.get().photos.exists()


def test_an_edit_keeps_its_new_photo_across_an_error(client, angers, category):
    listing = ListingFactory(email="lac@example.org", categories=[category])
    token = EditToken.issue(listing)
    data = form_data(listing, email="x", image_rights="on", photo_1=upload())
    response = client.post(f"/modifier/{token}/", data)
    assert 'name="remove_kept"' in response.content.decode()
    corrected = form_data(listing, kept_photos=kept_value(response), image_rights="on")
    assert client.post(f"/modifier/{token}/", corrected).status_code == 200
    assert listing.revisions.get().photos.count() == 1
    assert pending_files() == []


def test_the_purge_deletes_kept_photos_older_than_a_day_only(client, submission):
    client.post(URL, {**submission, "email": "x", "image_rights": "on", "photo_1": upload()})
    client.post(URL, {**submission, "email": "x", "image_rights": "on", "photo_1": upload(color=(0, 0, 0))})
    files = pending_files()
    assert len(files) == 4
    day_old = time.time() - timedelta(hours=25).total_seconds()
    aged = [name for name in files if name.startswith(files[0][:32])]
    for name in aged:
        os.utime(default_storage.path(f"{kept_files.PENDING_DIR}/{name}"), (day_old, day_old))

    assert retention.purge(dry_run=True).kept_photos == 1  # a photo and its medium size
    assert len(pending_files()) == 4
    result = retention.purge(now=timezone.now())
    assert result.kept_photos == 1
    assert sorted(pending_files()) == sorted(set(files) - set(aged))


def test_a_refused_photo_after_kept_ones_keeps_its_box_and_its_message_beside_it(client, submission):
    """Three photos kept took three of the six boxes, and "Photo 4: not an image" was listed at the top, linked to a
    box no longer on the page."""
    photos = {f"photo_{n}": upload(color=(40 * n, 0, 0)) for n in range(1, 4)}
    photos["photo_4"] = SimpleUploadedFile("notes.jpg", b"Pas une image.\n" * 20, "image/jpeg")
    response = client.post(URL, {**submission, "image_rights": "on", **photos})
    page = response.content.decode()
    assert len(re.findall(r'name="remove_kept"', page)) == 3
    boxes = re.findall(r'<input type="file" name="(photo_\d)"', page)
    assert len(boxes) == 3 and "photo_4" in boxes
    assert '<a href="#id_photo_4">Photo 4 : ' in page
    assert re.search(r'id="id_photo_4_error">.*Ce fichier n’est pas une image', page, re.S)
