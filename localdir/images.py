"""Uploaded images, checked and re-encoded with Pillow before anything is stored.

Used for listings' photos and the Mag's covers. An upload is identified by its content, never by its
name or declared type; only still JPEG, PNG and WebP images within the limits below are accepted. The
stored file is a fresh encoding of the pixels (EXIF orientation applied), so no metadata (GPS
position, camera serial number, comments, ICC profile) and no trailing payload survive.

Decoding is what costs (a 40-megapixel photo is 120 MB of pixels and a second of CPU), so it is bounded three
ways, documented in docs/moderation.md: JPEGs are decoded straight at the size we keep (libjpeg's DCT scaling,
Pillow's draft()), one form decodes at most settings.IMAGE_MAX_PIXELS_PER_REQUEST pixels (PixelBudget: six
phone photos fit many times over, six 40-megapixel PNGs do not, a 40 MP JPEG costs about 2.5 MP), and a worker
process decodes at most IMAGE_PROCESSING_SLOTS images at once, a photo waiting at most
IMAGE_PROCESSING_WAIT_SECONDS for its turn.
"""

import io
import math
import threading
import uuid
import warnings
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp"
# Longest side, in pixels, of each stored size; "large" is the one kept as the main file.
SIZES = {"large": 1600, "medium": 800, "small": 400}
JPEG_QUALITY = 85

MESSAGES = {
    "too_big": _("The image is too large: %(size)s MB, the limit is %(limit)s MB."),
    "too_many_pixels": _("The image is too large: %(megapixels)s megapixels, the limit is %(limit)s."),
    "svg": _("SVG images are not accepted: send a JPEG, PNG or WebP image."),
    "heic": _(
        "This photo is in the HEIC or AVIF format of recent phones, which is not accepted: save it as JPEG, then send "
        "it again."
    ),
    "format": _("This file is not a JPEG, PNG or WebP image."),
    "corrupt": _("This image is damaged or incomplete; please export it again."),
    "animated": _("Animated images are not accepted."),
    "empty": _("The file is empty."),
    "budget": _(
        "Together, your photos are too large to be processed in one sending (limit: %(limit)s megapixels). "
        "Send this photo later, or a smaller copy of it."
    ),
    "busy": _(
        "The server is busy processing other photos and could not take this one: please send the form again "
        "in a minute."
    ),
}


class ProcessedImage(ContentFile):
    """A re-encoded image ready to be saved in an ImageField, with its smaller sizes in `variants`."""

    def __init__(self, content, name, width, height, variants=None):
        super().__init__(content, name=name)
        self.width = width
        self.height = height
        self.variants = variants or {}


def _reject(code, **params):
    raise ValidationError(MESSAGES[code], code=code, params=params or None)


def _read(upload):
    if hasattr(upload, "size") and upload.size is not None and upload.size > MAX_BYTES:
        # In the reader's notation: "18,7 Mo" in French.
        size = formats.number_format(round(upload.size / 1024 / 1024, 1), 1)
        _reject("too_big", size=size, limit=MAX_BYTES // 1024 // 1024)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        _reject("too_big", size=">" + str(MAX_BYTES // 1024 // 1024), limit=MAX_BYTES // 1024 // 1024)
    if not data:
        _reject("empty")
    return data


# The brands of an ISO media file ("ftyp" box) that say HEIF (the HEIC photos of iPhones and many Android phones)
# or AVIF: Pillow cannot read them here, and "not a JPEG, PNG or WebP image" would leave a producer wondering.
HEIF_BRANDS = {
    *(b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"),
    *(b"avif", b"avis"),
}


def _looks_like_heif(data):
    if data[4:8] != b"ftyp":
        return False
    size = int.from_bytes(data[:4], "big")
    brands = data[8:12], *(data[n : n + 4] for n in range(16, min(size, 64), 4))
    return any(brand in HEIF_BRANDS for brand in brands)


def _looks_like_svg(data):
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head


class PixelBudget:
    """The pixels one request may still decode: a form shares one among its image fields."""

    def __init__(self, limit=None):
        self.limit = settings.IMAGE_MAX_PIXELS_PER_REQUEST if limit is None else limit
        self.spent = 0

    def spend(self, pixels):
        if self.spent + pixels > self.limit:
            _reject("budget", limit=f"{self.limit / 1_000_000:g}")
        self.spent += pixels


_slots_lock = threading.Lock()
_slots = {}


def _processing_slots():
    count = settings.IMAGE_PROCESSING_SLOTS
    with _slots_lock:
        return _slots.setdefault(count, threading.BoundedSemaphore(count))


class processing_slot:
    """Holds one of this process's image-processing slots, or raises ValidationError("busy") after the wait.

    With threaded workers, photos wait for their turn instead of all decoding at once and starving the
    threads that serve pages; the wait is bounded so a request is answered rather than left hanging.
    """

    def __enter__(self):
        self.slots = _processing_slots()
        if not self.slots.acquire(timeout=settings.IMAGE_PROCESSING_WAIT_SECONDS):
            _reject("busy")
        return self

    def __exit__(self, *exc_info):
        self.slots.release()


def _draft_size(size, longest):
    """The smallest size of the same shape whose longest side is `longest`: draft() decodes at least that."""
    width, height = size
    scale = longest / max(width, height)
    return math.ceil(width * scale), math.ceil(height * scale)


def open_image(upload, longest=None, budget=None):
    """The decoded, upright image in an upload, or ValidationError saying in plain words what is wrong.

    longest: the longest side the caller will keep; a JPEG is then decoded at the smallest DCT scale at least that
    large (down to 1/8 of its size), never more. budget: a PixelBudget charged with the pixels decoded.
    """
    data = _read(upload)
    if _looks_like_svg(data):
        _reject("svg")
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; a bomb is an error here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS))
        except UnidentifiedImageError:
            _reject("heic" if _looks_like_heif(data) else "format")
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            _reject("too_many_pixels", megapixels="> 89", limit=MAX_PIXELS // 1_000_000)
        except (OSError, ValueError, SyntaxError):
            _reject("corrupt")
        width, height = image.size
        # Checked from the header, before any pixel is decoded.
        if width * height > MAX_PIXELS:
            _reject("too_many_pixels", megapixels=round(width * height / 1_000_000), limit=MAX_PIXELS // 1_000_000)
        if getattr(image, "is_animated", False) or getattr(image, "n_frames", 1) > 1:
            _reject("animated")
        if longest is not None and image.format == "JPEG" and max(width, height) > longest:
            image.draft(None, _draft_size(image.size, longest))
        if budget is not None:
            budget.spend(image.width * image.height)
        try:
            image.load()
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
            _reject("corrupt")
    try:
        image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError):
        # A broken EXIF block: keep the pixels as they are, the metadata is dropped anyway.
        pass
    return image


def _clean_mode(image):
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if has_alpha else "RGB"
    # convert() copies even to the same mode: the pixels are not held twice when they need no conversion.
    return (image if image.mode == mode else image.convert(mode)), has_alpha


def _encode(image, has_alpha):
    buffer = io.BytesIO()
    if has_alpha:
        image.save(buffer, format="PNG", optimize=True)
    else:
        image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def process_image(upload, sizes=SIZES, budget=None):
    """Check an upload and re-encode it: returns a ProcessedImage (the "large" size) with the other sizes.

    Images without transparency become JPEG, the others PNG. Raises ValidationError if the upload is refused.
    budget: a PixelBudget shared by the images of one request.
    """
    with processing_slot():
        return _process(upload, sizes, budget)


def _thumbnail_size(size, longest):
    """The size Image.thumbnail((longest, longest)) gives: within the box, the closest aspect, never enlarged."""
    width, height = size
    if width <= longest and height <= longest:
        return size
    aspect = width / height

    def closest(number, key):
        return max(min(math.floor(number), math.ceil(number), key=key), 1)

    if aspect >= 1:
        return longest, closest(longest / aspect, key=lambda n: 0 if n == 0 else abs(aspect - longest / n))
    return closest(longest * aspect, key=lambda n: abs(aspect - n / longest)), longest


def _process(upload, sizes, budget):
    image = open_image(upload, longest=max(sizes.values()), budget=budget)
    image, has_alpha = _clean_mode(image)
    # A fresh image: nothing from the original file's info (EXIF, ICC, XMP, comments) is carried over.
    image.info = {}
    extension = "png" if has_alpha else "jpg"
    stem = slugify(PurePath(getattr(upload, "name", "") or "image").stem)[:60] or "image"
    encoded = {}
    for size_name, longest in sizes.items():
        # resize() makes a new image from the decoded one; copying it first (as thumbnail() needs) would hold
        # the full-size pixels twice.
        target = _thumbnail_size(image.size, longest)
        resized = image if target == image.size else image.resize(target, Image.Resampling.LANCZOS, reducing_gap=2.0)
        encoded[size_name] = (resized, _encode(resized, has_alpha))
    main_name = "large" if "large" in encoded else next(iter(encoded))
    main, main_bytes = encoded.pop(main_name)
    variants = {
        size_name: ContentFile(content, name=f"{stem}-{size_name}.{extension}")
        for size_name, (_copy, content) in encoded.items()
    }
    return ProcessedImage(main_bytes, f"{stem}.{extension}", main.width, main.height, variants)


def random_upload_path(instance, filename):
    """`<app>/<model>/<year>/<month>/<random>.<ext>`: nobody can guess the address of a photo not yet published
    (media files are served as they are), and a file's name tells nothing of the person who sent it."""
    from django.utils import timezone

    extension = PurePath(filename).suffix.lower()
    return f"{instance._meta.app_label}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


def validate_image(upload):
    """A validator for model or form fields: refuses what process_image would refuse."""
    open_image(upload)
    if hasattr(upload, "seek"):
        upload.seek(0)


class ImageField(forms.FileField):
    """A form field returning the re-encoded image (ProcessedImage) instead of the raw upload.

    Django's forms.ImageField only checks that Pillow can open the file, with one message for every
    problem; this one applies our limits and says which rule the file breaks.
    """

    widget = forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE})

    def __init__(self, *args, sizes=SIZES, budget=None, **kwargs):
        self.sizes = sizes
        # A form with several image fields gives them one PixelBudget: the pixels are counted per request.
        self.budget = budget
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return process_image(upload, sizes=self.sizes, budget=self.budget)
