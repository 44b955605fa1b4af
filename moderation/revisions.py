"""A proposed edit as data: the listing's values (producers.listing_data) plus the photos it removes, and the
markets a producer attends or a market's stands (producers.attendances).

The submission form's cleaned data is stored as a Revision's `data`, compared with the live listing on the review
page, and written onto the listing when a volunteer approves it.
"""

from producers import attendances, listing_data
from producers.models import Listing

# [[other listing id, schedule], …]: the markets of a producer, the stands of a market. A revision without the key
# (stored before markets existed) leaves the links as they are.
LINK_KEYS = ("markets", "stands")


def serialize(cleaned, listing=None):
    """A Revision's `data` from the submission form's cleaned data. With the live `listing`, links the edit leaves
    as they are stay out of it: approving it then keeps what an organiser's list changed meanwhile."""
    data = listing_data.serialize(cleaned)
    data["remove_photos"] = sorted(p.pk for p in cleaned.get("remove_photos") or [])
    live = serialize_listing(listing) if listing is not None else {}
    for key in LINK_KEYS:
        if key in cleaned and cleaned[key] != live.get(key):
            data[key] = cleaned[key]
    return data


def serialize_listing(listing):
    """The live listing in the same shape as serialize(), to show a diff."""
    data = {**listing_data.serialize_listing(listing), "remove_photos": []}
    if listing.kind == Listing.Kind.MARKET:
        data["stands"] = attendances.serialize_stands(listing)
    else:
        data["markets"] = attendances.serialize_markets(listing)
    return data


def apply_values(listing, data):
    """Write a revision's values onto the listing and delete the photos it removes (inside the caller's transaction)."""
    listing_data.apply_values(listing, data)
    for photo in listing.photos.filter(pk__in=data.get("remove_photos", [])):
        photo.delete_files()
        photo.delete()
    for key in LINK_KEYS:
        if key in data:
            attendances.apply_links(listing, data[key], key)
