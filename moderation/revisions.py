"""A proposed edit as data: the listing's values (producers.listing_data) plus the photos it removes, and the
markets a producer attends or a market's stands (producers.attendances).

The submission form's cleaned data is stored as a Revision's `data`, compared with the live listing on the review
page, and written onto the listing when a volunteer approves it.
"""

import hashlib
import json

from django.db.models import Max

from producers import attendances, listing_data
from producers.models import DeliveryMode, Listing

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


def _producers_own_values(listing):
    """The listing's values only its producer changes: neither its markets or stands (a market organiser's approved
    list, a market withdrawn by a volunteer or hidden by the daily job change them) nor the "on the markets" delivery
    mode those links add and remove without details (attendances.sync_delivery_modes)."""
    data = {**listing_data.serialize_listing(listing), "photos": sorted(listing.photos.values_list("pk", flat=True))}
    on_markets = DeliveryMode.objects.filter(code=attendances.MARKETS_MODE).values_list("pk", flat=True).first()
    data["delivery_modes"] = [
        [mode, details] for mode, details in data["delivery_modes"] if mode != on_markets or details
    ]
    return data


def edit_version(listing_pk):
    """What the private edit page is built from, as "<latest edit's id>:<digest of the producer's own values>": an
    edit sent from another tab or window changes it (a new proposed edit of a published listing, or new values or
    photos of a pending one), and so does a volunteer's approval of an edit; a market's list of stands does not."""
    listing = Listing.objects.get(pk=listing_pk)
    digest = hashlib.sha256(json.dumps(_producers_own_values(listing), sort_keys=True, default=str).encode())
    latest_edit = listing.revisions.aggregate(latest=Max("pk"))["latest"] or 0
    return f"{latest_edit}:{digest.hexdigest()[:24]}"


def edited_elsewhere(listing_pk, sent_version, edit_approved_meanwhile):
    """True if the listing was edited since the page that sent `sent_version` was opened, by the producer in another
    tab or window: their edit would silently undo that one. A page without a version (opened before versions
    existed) is not checked. Only a volunteer's approval of an edit meanwhile changes the values otherwise, and it is
    told on the saved page instead (the view's "meanwhile"); any other decision (asking for changes) leaves them as
    they were, so a change then is another tab's."""
    if not sent_version:
        return False
    sent_edit, _sep, sent_digest = sent_version.partition(":")
    latest_edit, _sep, digest = edit_version(listing_pk).partition(":")
    if sent_edit != latest_edit:
        return True
    return sent_digest != digest and not edit_approved_meanwhile
