"""What a volunteer needs to decide: proposed values beside the live ones, and possible duplicates."""

from difflib import SequenceMatcher

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber

from localdir.text import fold
from producers import attendances, hours
from producers.listing_data import FIELDS
from producers.models import Category, Commune, DeliveryMode, Listing, ListingPhoto, LocalCurrency

from .models import Decision, Revision
from .revisions import LINK_KEYS, serialize_listing

DUPLICATE_DISTANCE_KM = 0.2
SIMILAR_NAME_RATIO = 0.8


def _label(name):
    if name == "remove_photos":
        return _("photos to remove")
    if name == "markets":
        return _("markets where they sell")
    if name == "stands":
        return _("producers at the market")
    return Listing._meta.get_field(name).verbose_name


LINK_FIELDS = {"website", "facebook_url", "instagram_url", "other_links"}
SAFE_SCHEMES = ("http://", "https://")


def _display(name, value):
    """The value as text, as the listing page would say it: what the diff compares."""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
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
    if name == "market_type":
        return dict(Listing.MarketType.choices).get(value, value)
    if name in LINK_KEYS:
        listings = Listing.objects.select_related("commune").in_bulk([pk for pk, _schedule in value])
        return "\n".join(
            pgettext("a stand at a market", "%(listing)s: %(when)s")
            % {
                "listing": f"{listings[pk].name} ({listings[pk].commune.name})",
                "when": attendances.describe_schedule(schedule),
            }
            for pk, schedule in value
            if pk in listings
        )
    if name == "phone":
        number = PhoneNumber.from_string(value, region="FR") if isinstance(value, str) else value
        return number.as_national if number.is_valid() else str(value)
    if name == "remove_photos":
        return ", ".join(photo.image.name for photo in ListingPhoto.objects.filter(pk__in=value))
    return value


def _present(name, value, text):
    """What the review page shows: {"text"}, or {"links": [(url, clickable)]}, or {"hours": [lines], "raw"}."""
    if name in LINK_FIELDS and text:
        # Only web addresses become links: a "javascript:" value stays inert text.
        return {"links": [(url, url.lower().startswith(SAFE_SCHEMES)) for url in str(text).split()]}
    if name == "opening_hours" and text:
        return {"hours": hours.describe_lines(text), "raw": text}
    return {"text": text}


def diff_rows(proposed, live=None):
    """[{label, live, proposed, changed}] for every field; `live` None for a new listing."""
    names = [*FIELDS, "remove_photos"] if proposed.get("remove_photos") else list(FIELDS)
    # A market's stands, a producer's markets: shown when the edit proposes them (a new listing: when it has some).
    names += [key for key in LINK_KEYS if key in proposed and (live is not None or proposed[key])]
    rows = []
    for name in names:
        new = _display(name, proposed.get(name))
        old = _display(name, live.get(name)) if live is not None else None
        rows.append(
            {
                "label": _label(name),
                "live": _present(name, live.get(name), old) if live is not None else None,
                "proposed": _present(name, proposed.get(name), new),
                "changed": live is not None and old != new,
            }
        )
    return rows


def revision_rows(revision):
    return diff_rows(revision.data, serialize_listing(revision.listing))


def listing_rows(listing):
    return diff_rows(serialize_listing(listing))


def _latest_decision(model, pk):
    return Decision.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=pk).first()


def resubmitted_after(listing):
    """The "ask for changes" decision a pending listing was edited after, or None."""
    decision = _latest_decision(Listing, listing.pk)
    if decision and decision.action == Decision.Action.REQUEST_CHANGES and listing.updated_at > decision.created_at:
        return decision
    return None


def revision_resubmitted_after(revision):
    """The "ask for changes" decision on an earlier edit of the listing that this edit answers, or None."""
    previous = (
        revision.listing.revisions.filter(created_at__lt=revision.created_at, status=Revision.Status.CHANGES_REQUESTED)
        .order_by("-created_at", "-pk")
        .first()
    )
    return _latest_decision(Revision, previous.pk) if previous else None


# Whose move it is on an item of the queues (the `next_step` annotation): a volunteer's, or the producer's once a
# volunteer asked them for changes, so that a second volunteer does not review it again meanwhile.
TO_REVIEW, WAITING_FOR_PRODUCER = "review", "producer"
NEXT_STEPS = {TO_REVIEW: _("To review"), WAITING_FOR_PRODUCER: _("Waiting for the producer")}


def _asked_for_changes(**dates):
    return Decision.objects.filter(
        content_type=ContentType.objects.get_for_model(Listing),
        object_id=OuterRef("pk"),
        action=Decision.Action.REQUEST_CHANGES,
        **dates,
    )


def listing_next_step():
    """For pending listings: waiting for the producer while no edit followed the latest "ask for changes" (a request
    for changes does not touch the listing's updated_at; the producer's edit does)."""
    return Case(
        When(Exists(_asked_for_changes(created_at__gte=OuterRef("updated_at"))), then=Value(WAITING_FOR_PRODUCER)),
        default=Value(TO_REVIEW),
    )


def revision_next_step():
    """For edits: a pending one is to review; one the volunteers asked changes of waits for the producer until they
    send a newer edit of the listing. Decided ones have no next step (None)."""
    newer = Revision.objects.filter(listing=OuterRef("listing"), created_at__gt=OuterRef("created_at"))
    return Case(
        When(status=Revision.Status.PENDING, then=Value(TO_REVIEW)),
        When(Q(status=Revision.Status.CHANGES_REQUESTED) & ~Exists(newer), then=Value(WAITING_FOR_PRODUCER)),
        default=None,
        output_field=CharField(),
    )


def pending_listings():
    """New listings awaiting review, oldest submission first. A listing edited after "ask for changes" counts from
    its latest edit (updated_at: a request for changes does not touch the listing) and is marked `resubmitted`."""
    return (
        Listing.objects.filter(status=Listing.Status.PENDING)
        .annotate(
            resubmitted=Exists(_asked_for_changes(created_at__lt=OuterRef("updated_at"))),
            next_step=listing_next_step(),
        )
        .order_by("updated_at", "pk")
    )


def pending_revisions():
    earlier = Revision.objects.filter(
        listing=OuterRef("listing"), created_at__lt=OuterRef("created_at"), status=Revision.Status.CHANGES_REQUESTED
    )
    return Revision.objects.pending().annotate(resubmitted=Exists(earlier)).order_by("created_at", "pk")


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
