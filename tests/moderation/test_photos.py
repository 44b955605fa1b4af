"""Photos sent with a registration: real files made with Pillow, each bad one refused next to its field."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from moderation.forms import SubmissionForm
from producers.models import Listing

pytestmark = pytest.mark.django_db

URL = "/inscrire/"


def jpeg(size=(120, 80), color=(200, 100, 50)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def animated(fmt):
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (20, 20), c) for c in [(255, 0, 0), (0, 0, 255)]]
    frames[0].save(buffer, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def png_bomb(width=30_000, height=30_000):
    """A tiny PNG file whose header claims width × height pixels."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


BAD_FILES = {
    "truncated JPEG": ("photo.jpg", jpeg((400, 300))[:600]),
    "text named .jpg": ("photo.jpg", b"Bonjour, ceci n'est pas une image.\n" * 10),
    "SVG": ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    "animated GIF": ("anim.gif", animated("GIF")),
    "animated PNG": ("anim.png", animated("PNG")),
    "decompression bomb": ("bomb.png", png_bomb()),
    "HTML then image": ("page.jpg", b"<html><body><script>alert(1)</script></body></html>" + jpeg()),
}


@pytest.mark.parametrize("label", BAD_FILES)
def test_a_bad_file_is_refused_with_a_message_and_the_rest_is_kept(client, submission, label):
    name, content = BAD_FILES[label]
    data = {**submission, "image_rights": "on", "photo_2": SimpleUploadedFile(name, content, "image/jpeg")}
    response = client.post(URL, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["photo_2"], form.errors
    assert form.errors["photo_2"][0]
    html = response.content.decode()
    assert 'value="Ferme des Trois Chênes"' in html
    assert 'value="12 chemin des Prés"' in html
    assert not Listing.objects.exists()


def test_a_good_photo_is_reencoded_and_a_trailing_payload_dropped(client, submission):
    content = jpeg() + b"<script>alert(1)</script>"
    data = {**submission, "image_rights": "on", "photo_1": SimpleUploadedFile("ferme.jpg", content, "image/jpeg")}
    assert client.post(URL, data).status_code == 302
    photo = Listing.objects.get().photos.get()
    stored = photo.image.read()
    assert stored.startswith(b"\xff\xd8")
    assert b"<script" not in stored


def test_photos_need_the_image_rights_consent(client, submission):
    data = {**submission, "photo_1": SimpleUploadedFile("ferme.jpg", jpeg(), "image/jpeg")}
    response = client.post(URL, data)
    assert list(response.context["form"].errors) == ["image_rights"]
    assert not Listing.objects.exists()


def test_six_photos_are_accepted(client, submission):
    data = {**submission, "image_rights": "on"}
    for n in range(1, 7):
        data[f"photo_{n}"] = SimpleUploadedFile(f"p{n}.jpg", jpeg(color=(n * 30, 0, 0)), "image/jpeg")
    assert client.post(URL, data).status_code == 302
    assert Listing.objects.get().photos.count() == 6


def test_a_photo_is_stored_in_the_sizes_the_pages_use(client, submission):
    data = {
        **submission,
        "image_rights": "on",
        "photo_1": SimpleUploadedFile("ferme.jpg", jpeg((3000, 2000)), "image/jpeg"),
    }
    assert client.post(URL, data).status_code == 302
    listing = Listing.objects.get()
    photo = listing.photos.get()
    with Image.open(photo.image) as large, Image.open(photo.thumbnail) as thumbnail:
        assert large.size == (1600, 1067)
        assert thumbnail.size == (800, 533)
    listing.status = Listing.Status.PUBLISHED
    listing.save()
    html = client.get(listing.get_absolute_url()).content.decode()
    assert f'<a href="{photo.image.url}"><img src="{photo.thumbnail.url}"' in html


def test_a_too_heavy_photo_says_its_weight_the_french_way(submission):
    upload = SimpleUploadedFile("etal.jpg", jpeg(), "image/jpeg")
    upload.size = round(18.7 * 1024 * 1024)  # as the upload handler reports a file it kept on disk
    with translation.override("fr"):
        form = SubmissionForm({**submission, "image_rights": "on"}, {"photo_1": upload})
        assert form.errors["photo_1"] == ["L’image est trop lourde\xa0: 18,7\xa0Mo, la limite est de 10\xa0Mo."]


def heif(major, *compatible):
    """The start of an ISO media file as phones write them: an "ftyp" box naming its brands, then the image data."""
    brands = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return (8 + len(brands)).to_bytes(4, "big") + b"ftyp" + brands + b"\x00\x00\x00\x08mdat" * 50


@pytest.mark.parametrize(
    "name, content",
    [
        ("IMG_0042.HEIC", heif(b"heic", b"mif1", b"heic")),
        ("IMG_0043.heif", heif(b"mif1", b"mif1", b"heic")),
        ("photo.avif", heif(b"avif", b"avif", b"mif1", b"miaf")),
    ],
)
def test_a_phone_photo_in_heic_or_avif_says_so_and_what_to_do(client, submission, name, content):
    """It said "not a JPEG, PNG or WebP image" about a photo taken with the producer's own phone."""
    data = {**submission, "image_rights": "on", "photo_1": SimpleUploadedFile(name, content, "image/heic")}
    response = client.post(URL, data)
    assert response.context["form"]["photo_1"].errors.as_data()[0].code == "heic"
    assert "au format HEIC ou AVIF des téléphones récents" in response.content.decode()
    assert "enregistrez-la en JPEG" in response.content.decode()


def test_a_heic_photo_renamed_jpg_is_told_apart_by_its_bytes(client, submission):
    """A phone or a transfer app names it IMG.jpg and says image/jpeg: neither the name nor the type is believed, and
    a JPEG named .heic is not taken for one either."""
    data = {
        **submission,
        "image_rights": "on",
        "photo_1": SimpleUploadedFile("IMG_0042.jpg", heif(b"heic", b"mif1", b"heic"), "image/jpeg"),
        "photo_2": SimpleUploadedFile("IMG_0043.heic", jpeg()[:50], "image/heic"),
    }
    form = client.post(URL, data).context["form"]
    assert form["photo_1"].errors.as_data()[0].code == "heic"
    assert form["photo_2"].errors.as_data()[0].code != "heic"


def test_an_mp4_video_is_not_taken_for_a_heic_photo(client, submission):
    video = heif(b"isom", b"isom", b"iso2", b"mp41")
    data = {**submission, "image_rights": "on", "photo_1": SimpleUploadedFile("v.mp4", video, "video/mp4")}
    response = client.post(URL, data)
    assert response.context["form"]["photo_1"].errors.as_data()[0].code == "format"
