"""A listing as data: the one list of a listing's own values, and everything that reads or writes them.

The submission and import form, the volunteers' review, the stored edits awaiting review, erasure and the
open-data files all take their fields from FIELDS here, so a field added to a listing is added once.
Values travel as JSON-ready dicts ("serialized"): plain fields as they are, the phone in E.164, the commune by
id, categories and currencies as sorted ids, delivery modes as [[mode id, details]].
"""

import re

from .models import Listing

# What a producer tells about their activity, in the order of the open-data columns (docs/open-data.md).
FIELDS = [
    "name",
    "kind",
    "market_type",
    "short_description",
    "description",
    "categories",
    "street_address",
    "postal_code",
    "commune",
    "latitude",
    "longitude",
    "phone",
    "email",
    "email_public",
    "website",
    "facebook_url",
    "instagram_url",
    "other_links",
    "opening_hours",
    "delivery_modes",
    "currencies",
]
# Many-to-many values, stored as ids.
RELATED_FIELDS = ["categories", "delivery_modes", "currencies"]
# Stored on the listing row as they are typed; the phone and the commune need converting.
PLAIN_FIELDS = [name for name in FIELDS if name not in RELATED_FIELDS and name not in ("phone", "commune")]
# The fields a ModelForm handles itself: delivery modes go through ListingDelivery and carry details.
FORM_FIELDS = [name for name in FIELDS if name != "delivery_modes"]

# Blanked when a producer erases their data: all that may identify or reach a person. The name and town stay so
# that the volunteers know what was withdrawn; the pin goes back to the town's reference point.
PERSONAL_FIELDS = [
    "short_description",
    "description",
    "street_address",
    "latitude",
    "longitude",
    "phone",
    "email",
    "email_public",
    "website",
    "facebook_url",
    "instagram_url",
    "other_links",
    "opening_hours",
]

# The open-data files: the producer's values without the private-email flag (a private address goes out
# empty), plus what the public page shows beside them.
_EXPORT_EXTRAS = {"name": ["slug", "url"], "commune": ["insee_code", "department"]}
COLUMNS = [
    *(column for name in FIELDS if name != "email_public" for column in (name, *_EXPORT_EXTRAS.get(name, ()))),
    # A market's next date (ISO 8601 in Paris, empty for other listings): producers.markets.dates.
    "next_date",
    "updated_at",
]
# Columns holding several values: a list in GeoJSON, joined with "|" in CSV.
LIST_COLUMNS = {"categories", "other_links", "currencies", "delivery_modes"}
# Import: written by the export and derived again from the listing; the partner's own references, and whether the
# file's addresses may be shown (not in the export, whose addresses are the ones shown: producers.imports).
IGNORED_COLUMNS = {"url", "department", "next_date", "updated_at"}
OPTIONAL_COLUMNS = {"external_id", "slug", "email_public"}
SPLIT_COLUMNS = {"categories", "currencies"}
MULTILINE_COLUMNS = LIST_COLUMNS - SPLIT_COLUMNS
KNOWN_COLUMNS = set(COLUMNS) | OPTIONAL_COLUMNS
# Control characters never belong in a listing, and PostgreSQL refuses NUL outright (a 500, not a report line).
# Line breaks and tabs are text in the columns that hold several lines.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MULTILINE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TEXT_COLUMNS = MULTILINE_COLUMNS | {"description"}


def control_characters(column):
    """The control characters a cell of `column` may not hold."""
    return MULTILINE_CONTROL if column in TEXT_COLUMNS else CONTROL


def _value(name, value):
    """A cleaned form value in its serialized shape."""
    if name == "phone":
        return value.as_e164 if value else ""
    if name == "commune":
        return value.pk if value is not None else None
    if name in ("categories", "currencies"):
        return sorted(item.pk for item in value or [])
    if name == "delivery_modes":
        return [[mode.pk, details] for mode, details in value or []]
    return value


def serialize(cleaned):
    """JSON-ready values of a listing form's cleaned data."""
    return {name: _value(name, cleaned.get(name)) for name in FIELDS}


def serialize_listing(listing):
    """A stored listing in the same shape as serialize()."""
    data = {name: getattr(listing, name) for name in PLAIN_FIELDS}
    data["phone"] = listing.phone.as_e164 if listing.phone else ""
    data["commune"] = listing.commune_id
    data["categories"] = sorted(listing.categories.values_list("pk", flat=True))
    data["currencies"] = sorted(listing.currencies.values_list("pk", flat=True))
    data["delivery_modes"] = [[d.mode_id, d.details] for d in listing.deliveries.all()]
    return data


def apply_values(listing, data):
    """Write serialized values onto a listing and save it (inside the caller's transaction)."""
    for name in PLAIN_FIELDS:
        if name in data:
            setattr(listing, name, data[name])
    listing.phone = data.get("phone", "")
    listing.commune_id = data["commune"]
    listing.save()
    listing.categories.set(data.get("categories", []))
    listing.currencies.set(data.get("currencies", []))
    listing.deliveries.all().delete()
    listing.deliveries.bulk_create(
        [
            listing.deliveries.model(listing=listing, mode_id=mode, details=details)
            for mode, details in data.get("delivery_modes", [])
        ]
    )


def changed_fields(before, cleaned):
    """The fields a form's cleaned data would change on a listing whose serialize_listing() was `before`.

    Only the fields the form cleaned count: a form without a field leaves it as it is.
    """
    changed = []
    for name in FIELDS:
        if name not in cleaned:
            continue
        old, new = before[name], _value(name, cleaned[name])
        if name == "delivery_modes":
            # Shown in the modes' own order wherever they appear: a file listing them otherwise changes nothing.
            old, new = sorted(old), sorted(new)
        if (old or None) != (new or None):
            changed.append(name)
    return changed


def public_changes(changed, email_public):
    """The changed fields a visitor sees change (what dates a published listing's changed_at, read by the feeds and
    alerts): a private e-mail address is seen by the volunteers only, unless the change also shows or hides it."""
    changed = set(changed)
    if not email_public and "email_public" not in changed:
        changed.discard("email")
    return changed


def filled_fields(cleaned):
    """The fields a form's cleaned data gives a value (what a new listing gets)."""
    return [name for name in FIELDS if _value(name, cleaned.get(name)) not in (None, "", [], False)]


def blank_personal_data(listing):
    """Set every personal field to its empty value (not saved); the pin goes to the town's reference point."""
    for name in PERSONAL_FIELDS:
        field = Listing._meta.get_field(name)
        if name in ("latitude", "longitude"):
            setattr(listing, name, getattr(listing.commune, name))
        elif field.get_internal_type() == "BooleanField":
            setattr(listing, name, False)
        else:
            setattr(listing, name, "")
