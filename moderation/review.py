"""What a volunteer needs to decide: proposed values beside the live ones, and possible duplicates."""

from difflib import SequenceMatcher

from django.utils.translation import gettext_lazy as _

from localdir.text import fold
from producers.listing_data import FIELDS
from producers.models import Category, Commune, DeliveryMode, Listing, ListingPhoto, LocalCurrency

from .revisions import serialize_listing

DUPLICATE_DISTANCE_KM = 0.2
SIMILAR_NAME_RATIO = 0.8


def _label(name):
    if name == "remove_photos":
        return _("photos to remove")
    return Listing._meta.get_field(name).verbose_name


def _display(name, value):
    if value in (None, "", []):
        return ""
    if name == "commune":
        commune = Commune.objects.filter(pk=value).first()
        return str(commune) if commune else value
    if name == "categories":
        return ", ".join(Category.objects.filter(pk__in=value).values_list("name", flat=True))
    if name == "currencies":
        return ", ".join(LocalCurrency.objects.filter(pk__in=value).values_list("name", flat=True))
    if name == "delivery_modes":
        names = dict(DeliveryMode.objects.values_list("pk", "name"))
        return ", ".join(f"{names.get(mode, mode)}{f' : {details}' if details else ''}" for mode, details in value)
    if name == "kind":
        return dict(Listing.Kind.choices).get(value, value)
    if name == "remove_photos":
        return ", ".join(photo.image.name for photo in ListingPhoto.objects.filter(pk__in=value))
    return value


def diff_rows(proposed, live=None):
    """[{label, live, proposed, changed}] for every field; `live` None for a new listing."""
    names = [*FIELDS, "remove_photos"] if proposed.get("remove_photos") else FIELDS
    rows = []
    for name in names:
        new = _display(name, proposed.get(name))
        old = _display(name, live.get(name)) if live is not None else None
        rows.append({"label": _label(name), "live": old, "proposed": new, "changed": live is not None and old != new})
    return rows


def revision_rows(revision):
    return diff_rows(revision.data, serialize_listing(revision.listing))


def listing_rows(listing):
    return diff_rows(serialize_listing(listing))


def _similar(a, b):
    a, b = fold(a), fold(b)
    return bool(a and b) and (a in b or b in a or SequenceMatcher(None, a, b).ratio() >= SIMILAR_NAME_RATIO)


def duplicate_hints(values, exclude_pk):
    """[(listing, [reasons])] of other listings that may be the same activity (values: serialized form)."""
    others = Listing.objects.exclude(pk=exclude_pk).exclude(status=Listing.Status.UNPUBLISHED)
    hints = {}

    def add(listing, reason):
        hints.setdefault(listing, []).append(reason)

    if values.get("phone"):
        for listing in others.filter(phone=values["phone"]):
            add(listing, _("same phone"))
    if values.get("email"):
        for listing in others.filter(email__iexact=values["email"]):
            add(listing, _("same email"))
    if values.get("website"):
        for listing in others.filter(website__iexact=values["website"]):
            add(listing, _("same website"))
    name = values.get("name", "")
    for listing in others.filter(commune_id=values.get("commune")):
        if _similar(listing.name, name):
            add(listing, _("similar name in the same town"))
    lat, lon = values.get("latitude"), values.get("longitude")
    if lat is not None and lon is not None:
        for listing in others.within(lat, lon, DUPLICATE_DISTANCE_KM):
            if _similar(listing.name, name) and listing.commune_id != values.get("commune"):
                add(listing, _("similar name within 200 m"))
    return list(hints.items())
