"""A proposed edit as data: the listing's values (producers.listing_data) plus the photos it removes.

The submission form's cleaned data is stored as a Revision's `data`, compared with the live listing on the review
page, and written onto the listing when a volunteer approves it.
"""

from producers import listing_data


def serialize(cleaned):
    """A Revision's `data` from the submission form's cleaned data."""
    data = listing_data.serialize(cleaned)
    data["remove_photos"] = sorted(p.pk for p in cleaned.get("remove_photos") or [])
    return data


def serialize_listing(listing):
    """The live listing in the same shape as serialize(), to show a diff."""
    return {**listing_data.serialize_listing(listing), "remove_photos": []}


def apply_values(listing, data):
    """Write a revision's values onto the listing and delete the photos it removes (inside the caller's transaction)."""
    listing_data.apply_values(listing, data)
    for photo in listing.photos.filter(pk__in=data.get("remove_photos", [])):
        photo.delete_files()
        photo.delete()
