"""The "attends" links as data: what a producer's or a market's private link proposes, and applying it.

Pending links are not rows: they travel in a moderation revision's data, as [[market id, schedule], …] from a
producer ("markets") or [[producer id, schedule], …] from a market's organiser ("stands"), and become Attendance rows
when a volunteer approves them. The "Sur les marchés" delivery mode follows the rows (sync_delivery_modes).
"""

from django.db import transaction

from localdir.cache import invalidate_public_pages

from .models import Attendance, DeliveryMode, Listing, ListingDelivery

MARKETS_MODE = "markets"


def serialize_markets(producer):
    """A producer's links, all of them, as [[market id, schedule], …] sorted by market id."""
    return [list(pair) for pair in producer.attendances.order_by("market_id").values_list("market_id", "schedule")]


def serialize_stands(market):
    """A market's links, all of them, as [[producer id, schedule], …] sorted by producer id."""
    return [list(pair) for pair in market.stands.order_by("producer_id").values_list("producer_id", "schedule")]


def apply_links(listing, pairs, side):
    """Replace the links of `listing` on `side` ("markets": the markets a producer attends, "stands": a market's
    producers) by `pairs` ([[other listing id, schedule], …]), inside the caller's transaction, and keep the
    producers' "on the markets" delivery mode in step. Ids of listings deleted since are ignored."""
    wanted = {int(other): (schedule or "").strip() for other, schedule in pairs}
    if side == "markets":
        mine, other = "producer", "market"
        valid = set(Listing.objects.filter(pk__in=wanted, kind=Listing.Kind.MARKET).values_list("pk", flat=True))
    elif side == "stands":
        mine, other = "market", "producer"
        valid = set(
            Listing.objects.filter(pk__in=wanted).exclude(kind=Listing.Kind.MARKET).values_list("pk", flat=True)
        )
    else:
        raise ValueError(side)
    wanted = {pk: schedule for pk, schedule in wanted.items() if pk in valid and pk != listing.pk}
    with transaction.atomic():
        existing = {getattr(link, f"{other}_id"): link for link in Attendance.objects.filter(**{mine: listing})}
        removed = [link for pk, link in existing.items() if pk not in wanted]
        Attendance.objects.filter(pk__in=[link.pk for link in removed]).delete()
        for pk, schedule in wanted.items():
            link = existing.get(pk)
            if link is not None and link.schedule != schedule:
                link.schedule = schedule
                link.save(update_fields=["schedule"])
        # Another approval may have written the same pair meanwhile: the unique key keeps one, then its days are set.
        new = [pk for pk in wanted if pk not in existing]
        Attendance.objects.bulk_create(
            [Attendance(**{mine: listing, f"{other}_id": pk, "schedule": wanted[pk]}) for pk in new],
            ignore_conflicts=True,
        )
        for pk in new:
            Attendance.objects.filter(**{mine: listing, f"{other}_id": pk}).exclude(schedule=wanted[pk]).update(
                schedule=wanted[pk]
            )
        if side == "markets":
            producers = [listing.pk]
        else:
            producers = [*wanted, *(link.producer_id for link in removed)]
        sync_delivery_modes(producers)
        invalidate_public_pages()


def sync_delivery_modes(producer_ids):
    """The "Sur les marchés" mode of these producers, from their links: added to a producer with at least one link;
    removed from a producer without links unless its details name markets the directory does not list yet (free
    text the producer wrote, which volunteers turn into links: see moderation's market suggestions)."""
    producer_ids = set(producer_ids)
    if not producer_ids:
        return
    mode = DeliveryMode.objects.filter(code=MARKETS_MODE).first()
    if mode is None:
        return
    linked = set(
        Attendance.objects.filter(producer_id__in=producer_ids).values_list("producer_id", flat=True).distinct()
    )
    have = dict(
        ListingDelivery.objects.filter(listing_id__in=producer_ids, mode=mode).values_list("listing_id", "details")
    )
    ListingDelivery.objects.bulk_create(
        [ListingDelivery(listing_id=pk, mode=mode) for pk in linked if pk not in have], ignore_conflicts=True
    )
    unlinked = [pk for pk, details in have.items() if pk not in linked and not details.strip()]
    ListingDelivery.objects.filter(listing_id__in=unlinked, mode=mode).delete()
