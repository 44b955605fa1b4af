"""Photo decoding is bounded: large JPEGs decoded at the size kept, pixels per sending, images at once per worker.

Real files made with Pillow; the 40-megapixel JPEG is made once per session (about a second).
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from localdir import images
from moderation.forms import PHOTO_SIZES
from producers.models import Listing

URL = "/inscrire/"
CAMERA = (7728, 5152)  # a 40-megapixel camera's photo


@pytest.fixture(scope="session")
def camera_jpeg():
    """A 40-megapixel JPEG with detail in it (a gradient under noise), a few megabytes like a real photo."""
    gradient = Image.linear_gradient("L").resize(CAMERA).convert("RGB")
    noise = Image.effect_noise((CAMERA[0] // 8, CAMERA[1] // 8), 40).resize(CAMERA).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(gradient, noise, 0.5).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def png(size, color=(30, 120, 60)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type)


class TestDecodingAtTheSizeKept:
    def test_a_40_megapixel_jpeg_is_decoded_at_an_eighth_of_its_pixels_or_less(self, camera_jpeg):
        image = images.open_image(upload(camera_jpeg), longest=1600)
        # libjpeg scales by 1/2, 1/4, 1/8: the smallest scale still at least 1,600 px wide is 1/4.
        assert image.size == (CAMERA[0] // 4, CAMERA[1] // 4)
        assert max(image.size) >= 1600

    def test_a_jpeg_is_decoded_whole_when_no_size_is_given(self, camera_jpeg):
        assert images.open_image(upload(camera_jpeg)).size == CAMERA

    def test_the_stored_sizes_are_unchanged(self, camera_jpeg):
        processed = images.process_image(upload(camera_jpeg), sizes=PHOTO_SIZES)
        assert (processed.width, processed.height) == (1600, 1067)
        assert Image.open(processed.variants["medium"]).size == (800, 533)

    def test_the_budget_is_charged_with_the_pixels_decoded_not_declared(self, camera_jpeg):
        budget = images.PixelBudget()
        images.process_image(upload(camera_jpeg), sizes=PHOTO_SIZES, budget=budget)
        assert budget.spent == (CAMERA[0] // 4) * (CAMERA[1] // 4)


@pytest.mark.django_db
class TestPixelsPerSending:
    def test_a_40_megapixel_jpeg_is_accepted_and_stored_at_the_sizes_the_pages_use(
        self, client, submission, camera_jpeg
    ):
        response = client.post(URL, {**submission, "image_rights": "on", "photo_1": upload(camera_jpeg)})
        assert response.status_code == 302, response.context["form"].errors
        photo = Listing.objects.get().photos.get()
        assert Image.open(photo.image).size == (1600, 1067)

    def test_six_40_megapixel_jpegs_fit_in_the_default_budget(self, settings):
        # Each costs what draft() decodes (test above): six fit, with room to spare.
        budget = images.PixelBudget()
        for _ in range(6):
            budget.spend((CAMERA[0] // 4) * (CAMERA[1] // 4))
        assert budget.spent < settings.IMAGE_MAX_PIXELS_PER_REQUEST / 2

    def test_photos_over_the_budget_are_refused_next_to_their_field_and_the_rest_is_kept(
        self, client, submission, settings
    ):
        settings.IMAGE_MAX_PIXELS_PER_REQUEST = 2_000_000
        photos = {f"photo_{n}": upload(png((1000, 800)), f"ferme-{n}.png", "image/png") for n in range(1, 4)}
        response = client.post(URL, {**submission, "image_rights": "on", **photos})
        assert response.status_code == 200
        form = response.context["form"]
        # 800,000 pixels each: the first two fit in 2 megapixels, the third does not.
        assert list(form.errors) == ["photo_3"], form.errors
        assert form["photo_3"].errors.as_data()[0].code == "budget"
        html = response.content.decode()
        assert "(limite : 2 mégapixels)" in html
        assert 'value="Ferme des Trois Chênes"' in html
        assert not Listing.objects.exists()


@pytest.mark.django_db
class TestImagesAtOnce:
    def test_a_photo_that_cannot_get_a_slot_in_time_gets_a_busy_message_and_the_rest_is_kept(
        self, client, submission, settings
    ):
        settings.IMAGE_PROCESSING_SLOTS = 1
        settings.IMAGE_PROCESSING_WAIT_SECONDS = 0.05
        slots = images._processing_slots()
        # Another request of this worker is processing a photo.
        assert slots.acquire(timeout=1)
        try:
            response = client.post(URL, {**submission, "image_rights": "on", "photo_1": upload(png((300, 200)))})
        finally:
            slots.release()
        assert response.status_code == 200
        form = response.context["form"]
        assert list(form.errors) == ["photo_1"], form.errors
        assert form["photo_1"].errors.as_data()[0].code == "busy"
        assert 'value="Ferme des Trois Chênes"' in response.content.decode()
        assert not Listing.objects.exists()

        # Once the slot is free the same sending goes through.
        response = client.post(URL, {**submission, "image_rights": "on", "photo_1": upload(png((300, 200)))})
        assert response.status_code == 302
        assert Listing.objects.get().photos.count() == 1

    def test_the_slot_is_given_back_when_a_photo_is_refused(self, settings):
        settings.IMAGE_PROCESSING_SLOTS = 1
        settings.IMAGE_PROCESSING_WAIT_SECONDS = 0.05
        for _ in range(2):
            with pytest.raises(images.ValidationError) as error:
                images.process_image(upload(b"not an image"))
            assert error.value.code == "format"
