"""Images kept across a refused form, so that nobody has to pick them again: a producer's photos (moderation's
sign-up and edit forms) and a Mag article's cover (magazine.admin).

An image accepted while another answer was wrong is stored already re-encoded (localdir.images), under a random
name in PENDING_DIR, with its medium size. The form carries the names in a signed hidden value: a name the
server did not write, or a value older than MAX_AGE, is ignored, so no path typed by a client is ever opened.
When the form is stored the photos are copied to the listing (or the edit) and these files deleted; those left
behind by a form never sent again, covers included, are deleted by `purge_personal_data` after MAX_AGE
(moderation.retention, which empties PENDING_DIR).
"""

import io
import re
import uuid
from datetime import timedelta

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from localdir.images import ProcessedImage

# Named when this lived in moderation; kept so that files and values signed in forms open at the change still work.
PENDING_DIR = "moderation/pending"
SALT = "moderation.kept-photos"
MAX_AGE = timedelta(hours=24)
NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png)$")


def _paths(name):
    stem, extension = name.rsplit(".", 1)
    return f"{PENDING_DIR}/{name}", f"{PENDING_DIR}/{stem}-medium.{extension}"


def keep(processed):
    """Store a ProcessedImage (and its medium size); returns its name for sign()."""
    extension = processed.name.rsplit(".", 1)[-1].lower()
    name = f"{uuid.uuid4().hex}.{extension}"
    main, medium = _paths(name)
    processed.seek(0)
    default_storage.save(main, ContentFile(processed.read()))
    if processed.variants.get("medium"):
        variant = processed.variants["medium"]
        variant.seek(0)
        default_storage.save(medium, ContentFile(variant.read()))
    return name


def sign(names):
    return signing.dumps(list(names), salt=SALT, compress=True) if names else ""


def unsign(value):
    """The names in a signed value that are still stored; [] for anything else."""
    try:
        names = signing.loads(value or "", salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    if not isinstance(names, list):
        return []
    names = [name for name in names if isinstance(name, str) and NAME.match(name)]
    return [name for name in names if default_storage.exists(_paths(name)[0])]


def load(name):
    """The kept photo as a ProcessedImage, ready for Photo.from_processed()."""
    main, medium = _paths(name)
    with default_storage.open(main) as stored:
        content = stored.read()
    width, height = Image.open(io.BytesIO(content)).size
    variants = {}
    if default_storage.exists(medium):
        with default_storage.open(medium) as stored:
            variants["medium"] = ContentFile(stored.read(), name=f"kept-medium.{name.rsplit('.', 1)[1]}")
    return ProcessedImage(content, f"kept.{name.rsplit('.', 1)[1]}", width, height, variants)


def thumbnail_url(name):
    main, medium = _paths(name)
    return default_storage.url(medium if default_storage.exists(medium) else main)


def discard(names):
    delete_files(path for name in names for path in _paths(name))


def delete_files(paths):
    for path in paths:
        default_storage.delete(path)


def stale(now):
    """Paths of the kept files older than MAX_AGE at `now`."""
    try:
        _dirs, files = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return []
    paths = [f"{PENDING_DIR}/{name}" for name in files]
    return [path for path in paths if default_storage.get_modified_time(path) < now - MAX_AGE]
