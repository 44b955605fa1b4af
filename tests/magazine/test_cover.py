"""Cover images go through the shared Pillow pipeline: real files, re-encoded upright and without metadata."""

import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from localdir import images, kept_files
from magazine.admin import ArticleAdminForm
from magazine.models import Article
from moderation import retention
from tests.factories import UserFactory
from tests.magazine.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ORIENTATION = 0x0112
GPS_IFD = 0x8825


def jpeg_with_exif(width=300, height=200):
    """A landscape JPEG taken "rotated" (orientation 6: display turned 90° clockwise), with a GPS position."""
    image = Image.new("RGB", (width, height), "white")
    image.paste((200, 30, 30), (0, 0, width // 3, height))  # a red band on the left
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "Appareil de test"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (47.0, 28.0, 16.0), 3: "W", 4: (0.0, 33.0, 6.0)})
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=95)
    return buffer.getvalue()


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def admin_form(cover, **data):
    fields = {
        "title": "Le marché d’Angers",
        "slug": "le-marche-dangers",
        "standfirst": "Chapô",
        "body": "Texte",
        "author_name": "Camille",
        "status": Article.Status.DRAFT,
        "cover_alt": "Les étals du marché",
    }
    fields.update(data)
    return ArticleAdminForm(data=fields, files={"cover": cover})


class TestPipeline:
    def test_a_jpeg_is_turned_upright_and_loses_its_exif(self):
        processed = images.process_image(upload(jpeg_with_exif()))
        stored = Image.open(io.BytesIO(processed.read()))
        assert stored.format == "JPEG"
        assert stored.size == (200, 300)  # rotated: portrait now
        assert not stored.getexif()
        assert "exif" not in stored.info and "icc_profile" not in stored.info
        # orientation 6 turns the image clockwise: the red band that was on the left is now at the top
        red, green, blue = stored.convert("RGB").getpixel((100, 10))
        assert red > 150 and green < 100

    def test_it_makes_the_smaller_sizes(self):
        processed = images.process_image(upload(jpeg_with_exif(3000, 2000)))
        assert (processed.width, processed.height) == (1067, 1600)
        assert set(processed.variants) == {"medium", "small"}
        assert Image.open(processed.variants["small"]).size == (267, 400)

    def test_a_png_with_transparency_stays_png(self):
        buffer = io.BytesIO()
        Image.new("RGBA", (40, 40), (0, 0, 0, 0)).save(buffer, format="PNG")
        processed = images.process_image(upload(buffer.getvalue(), "logo.png", "image/png"))
        assert processed.name == "logo.png"
        assert Image.open(io.BytesIO(processed.read())).mode == "RGBA"

    @pytest.mark.parametrize(
        "content, code",
        [
            (b"\xff\xd8\xff\xe0 not really a jpeg", "corrupt"),
            (b"%PDF-1.7 a document", "format"),
            (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "svg"),
            (b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>', "svg"),
            (b"", "empty"),
        ],
    )
    def test_what_is_not_a_still_image_is_refused(self, content, code):
        with pytest.raises(ValidationError) as error:
            images.open_image(upload(content))
        assert error.value.code == code

    def test_a_truncated_jpeg_is_refused(self):
        content = jpeg_with_exif()
        with pytest.raises(ValidationError) as error:
            images.open_image(upload(content[: len(content) // 2]))
        assert error.value.code == "corrupt"

    def test_a_gif_renamed_jpeg_is_refused_by_its_content(self):
        buffer = io.BytesIO()
        Image.new("RGB", (10, 10)).save(buffer, format="GIF")
        with pytest.raises(ValidationError) as error:
            images.open_image(upload(buffer.getvalue(), "photo.jpg"))
        assert error.value.code == "format"

    def test_an_animated_webp_is_refused(self):
        frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "blue")]
        buffer = io.BytesIO()
        frames[0].save(buffer, format="WEBP", save_all=True, append_images=frames[1:], duration=100)
        with pytest.raises(ValidationError) as error:
            images.open_image(upload(buffer.getvalue(), "anim.webp", "image/webp"))
        assert error.value.code == "animated"

    def test_too_many_pixels_is_refused_before_decoding(self):
        # A 1-bit PNG of 8000×8000 px (64 Mpx) weighs a few kilobytes: a small decompression bomb.
        buffer = io.BytesIO()
        Image.new("1", (8000, 8000)).save(buffer, format="PNG")
        assert len(buffer.getvalue()) < 100_000
        with pytest.raises(ValidationError) as error:
            images.open_image(upload(buffer.getvalue(), "bomb.png", "image/png"))
        assert error.value.code == "too_many_pixels"

    def test_a_file_over_10_mb_is_refused(self):
        with pytest.raises(ValidationError) as error:
            images.open_image(upload(b"\xff\xd8" + b"0" * (10 * 1024 * 1024)))
        assert error.value.code == "too_big"


class TestArticleCover:
    def test_the_admin_form_stores_the_re_encoded_cover_and_its_thumbnail(self):
        form = admin_form(upload(jpeg_with_exif(3000, 2000), "IMG_0042.JPG"))
        assert form.is_valid(), form.errors
        article = form.save()
        article.refresh_from_db()
        assert article.cover.name.startswith("magazine/") and article.cover.name.endswith(".jpg")
        with article.cover.open("rb") as stored:
            cover = Image.open(stored)
            cover.load()
        assert cover.size == (1067, 1600)
        assert not cover.getexif()
        assert Image.open(article.cover_thumbnail.path).size == (533, 800)

    def test_the_admin_form_says_why_an_svg_is_refused(self):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
        form = admin_form(upload(svg, "logo.svg", "image/svg+xml"))
        assert not form.is_valid()
        assert form.errors["cover"] == [str(images.MESSAGES["svg"])]

    def test_the_admin_form_says_a_corrupt_file_is_damaged(self):
        form = admin_form(upload(b"\xff\xd8\xff\xe0 garbage", "photo.jpg"))
        assert not form.is_valid()
        assert form.errors["cover"] == [str(images.MESSAGES["corrupt"])]

    def test_a_cover_needs_a_description(self):
        form = admin_form(upload(jpeg_with_exif()), cover_alt="")
        assert not form.is_valid()
        assert "cover_alt" in form.errors

    def test_no_cover_needs_no_description(self):
        form = admin_form(None, cover_alt="")
        assert form.is_valid(), form.errors

    def test_a_cover_set_in_code_goes_through_the_pipeline_too(self):
        article = ArticleFactory(cover=upload(jpeg_with_exif()), cover_alt="Une photo")
        with article.cover.open("rb") as stored:
            cover = Image.open(stored)
            cover.load()
        assert cover.size == (200, 300) and not cover.getexif()
        assert article.cover_thumbnail


class TestACoverIsNeverChosenTwice:
    """An editor who forgot the image's description, or made another mistake, does not lose the image chosen."""

    ARTICLE = {
        "title": "Le marché d’Angers",
        "slug": "",
        "standfirst": "Chapô",
        "body": "Texte",
        "author_name": "Camille",
        "status": Article.Status.DRAFT,
        "notices-TOTAL_FORMS": "0",
        "notices-INITIAL_FORMS": "0",
    }

    def test_the_image_is_kept_across_a_refused_form_and_saved_with_the_article(self, client, editor, tmp_path):
        client.force_login(editor)
        url = "/admin/magazine/article/add/"
        data = {
            "title": "Le marché d’Angers",
            "slug": "",
            "standfirst": "Chapô",
            "body": "Texte",
            "author_name": "Camille",
            "status": Article.Status.DRAFT,
            "cover_alt": "",
            "notices-TOTAL_FORMS": "0",
            "notices-INITIAL_FORMS": "0",
        }
        refused = client.post(url, {**data, "cover": upload(jpeg_with_exif())})
        assert refused.status_code == 200 and not Article.objects.exists()
        page = refused.content.decode()
        assert "Décrivez l’image de couverture" in page
        assert "L’image que vous avez choisie est conservée" in page
        kept = re.search(r'name="kept_cover" value="([^"]+)"', page)[1]

        # Sent again with the description, without choosing the file again.
        response = client.post(url, {**data, "cover_alt": "Les étals du marché", "kept_cover": kept})
        assert response.status_code == 302
        article = Article.objects.get()
        assert article.cover and article.cover_thumbnail
        assert Image.open(article.cover.open()).size == (200, 300)  # the upright image chosen the first time
        assert kept_files.unsign(kept) == []  # the kept files are gone

    def test_another_file_chosen_on_the_refused_page_replaces_the_kept_one(self, client, editor):
        """The help text says "choose another file only to replace it": the editor does, still without a
        description; the first image was saved instead, silently."""
        client.force_login(editor)
        url = "/admin/magazine/article/add/"
        data = {**self.ARTICLE, "cover_alt": ""}
        first = client.post(url, {**data, "cover": upload(jpeg_with_exif(300, 200))}).content.decode()
        kept_first = re.search(r'name="kept_cover" value="([^"]+)"', first)[1]
        second = client.post(url, {**data, "kept_cover": kept_first, "cover": upload(jpeg_with_exif(500, 100))})
        kept_second = re.search(r'name="kept_cover" value="([^"]+)"', second.content.decode())[1]
        assert kept_files.unsign(kept_first) == []  # the image replaced is not left behind
        response = client.post(url, {**data, "cover_alt": "Les étals", "kept_cover": kept_second})
        assert response.status_code == 302
        assert Image.open(Article.objects.get().cover.open()).size == (100, 500)  # the replacement, upright

    def test_a_cover_kept_for_a_form_never_sent_again_goes_with_the_daily_purge(self, client, editor):
        client.force_login(editor)
        page = client.post(
            "/admin/magazine/article/add/", {**self.ARTICLE, "cover_alt": "", "cover": upload(jpeg_with_exif())}
        )
        kept = re.search(r'name="kept_cover" value="([^"]+)"', page.content.decode())[1]
        assert kept_files.unsign(kept) != []
        assert retention.purge(now=timezone.now() + timedelta(hours=25)).kept_photos == 1
        assert kept_files.unsign(kept) == []

    def test_a_value_the_server_did_not_sign_is_ignored(self, editor):
        form = admin_form(None, kept_cover="../../etc/passwd")
        assert form.is_valid(), form.errors
        assert not form.cleaned_data["cover"]


@pytest.mark.django_db
def test_the_cover_box_s_label_begins_with_a_capital_like_the_others(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get("/admin/magazine/article/add/").content.decode()
    assert re.search(r'<label for="id_cover">Image de couverture\xa0:</label>', page)
