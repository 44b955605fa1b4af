"""Uploaded images, checked and re-encoded with Pillow before anything is stored.

Used for listings' photos and the Mag's covers. An upload is identified by its content, never by its
name or declared type; only still JPEG, PNG and WebP images within the limits below are accepted. The
stored file is a fresh encoding of the pixels (EXIF orientation applied), so no metadata (GPS
position, camera serial number, comments, ICC profile) and no trailing payload survive.
"""

import io
import uuid
import warnings
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
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
    "format": _("This file is not a JPEG, PNG or WebP image."),
    "corrupt": _("This image is damaged or incomplete; please export it again."),
    "animated": _("Animated images are not accepted."),
    "empty": _("The file is empty."),
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
        _reject("too_big", size=round(upload.size / 1024 / 1024, 1), limit=MAX_BYTES // 1024 // 1024)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        _reject("too_big", size=">" + str(MAX_BYTES // 1024 // 1024), limit=MAX_BYTES // 1024 // 1024)
    if not data:
        _reject("empty")
    return data


def _looks_like_svg(data):
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head


def open_image(upload):
    """The decoded, upright image in an upload, or ValidationError saying in plain words what is wrong."""
    data = _read(upload)
    if _looks_like_svg(data):
        _reject("svg")
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; a bomb is an error here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS))
        except UnidentifiedImageError:
            _reject("format")
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
    return image.convert("RGBA" if has_alpha else "RGB"), has_alpha


def _encode(image, has_alpha):
    buffer = io.BytesIO()
    if has_alpha:
        image.save(buffer, format="PNG", optimize=True)
    else:
        image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def process_image(upload, sizes=SIZES):
    """Check an upload and re-encode it: returns a ProcessedImage (the "large" size) with the other sizes.

    Images without transparency become JPEG, the others PNG. Raises ValidationError if the upload is refused.
    """
    image = open_image(upload)
    image, has_alpha = _clean_mode(image)
    # A fresh image: nothing from the original file's info (EXIF, ICC, XMP, comments) is carried over.
    image.info = {}
    extension = "png" if has_alpha else "jpg"
    stem = slugify(PurePath(getattr(upload, "name", "") or "image").stem)[:60] or "image"
    encoded = {}
    for size_name, longest in sizes.items():
        copy = image.copy()
        copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)
        encoded[size_name] = (copy, _encode(copy, has_alpha))
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

    def __init__(self, *args, sizes=SIZES, **kwargs):
        self.sizes = sizes
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return process_image(upload, sizes=self.sizes)
