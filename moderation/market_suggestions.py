"""Producers who wrote where they sell ("marché du samedi à Angers") before markets were listings: the markets their
words name, offered to volunteers to turn into links, one decision each.

A suggestion is a published producer whose "Sur les marchés" details or description mention a market, and a
published market of the same department whose name or town those words contain, not linked yet and not dismissed.
They are computed when the page is read, a department at a time, and stop at `limit`.
"""

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q

from localdir.text import fold
from producers import attendances
from producers.models import Attendance, Listing, ListingDelivery

from .models import AlreadyDecided, Decision, DismissedMarketSuggestion
from .models.decisions import _after_lock, _record

# Words that name any market and tell none apart.
GENERIC = {
    "marche",
    "marches",
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "l",
    "d",
    "a",
    "au",
    "aux",
    "et",
    "en",
    "bio",
    "producteurs",
    "producteur",
    "hebdomadaire",
    "place",
    "saint",
    "sur",
}
_SENTENCE = re.compile(r"[^.!?\n]*march[eé][^.!?\n]*", re.IGNORECASE)


@dataclass
class Suggestion:
    producer: Listing
    market: Listing
    mention: str


def mentions(producer, details):
    """The producer's own words about markets: the mode's details, then the description's sentences naming one."""
    found = [details] if details else []
    found += [match.strip() for match in _SENTENCE.findall(producer.description or "")]
    return [text for text in found if text]


def _names_market(text, market):
    """Whether folded `text` names the market: its distinctive name words, or its town."""
    words = [word for word in fold(market.name).split() if word not in GENERIC]
    if words and re.search(rf"\b{re.escape(' '.join(words))}\b", text):
        return True
    town = fold(market.commune.name)
    return bool(town) and re.search(rf"\b{re.escape(town)}\b", text) is not None


def suggestions(department=None, limit=50):
    """[Suggestion] for the published producers of `department` (all when None), at most `limit`."""
    producers = (
        Listing.objects.published()
        .exclude(kind=Listing.Kind.MARKET)
        .filter(
            Q(deliveries__mode__code=attendances.MARKETS_MODE, deliveries__details__gt="")
            | Q(description__icontains="march")
        )
        .distinct()
        .order_by("department_id", "pk")
    )
    markets = Listing.objects.published().filter(kind=Listing.Kind.MARKET).select_related("commune")
    if department is not None:
        producers = producers.filter(department=department)
        markets = markets.filter(department=department)
    by_department = {}
    for market in markets:
        by_department.setdefault(market.department_id, []).append(market)
    if not by_department:
        return []
    producers = producers.filter(department_id__in=by_department)
    linked = set(Attendance.objects.filter(market__in=markets).values_list("producer_id", "market_id"))
    dismissed = set(
        DismissedMarketSuggestion.objects.filter(market__in=markets).values_list("producer_id", "market_id")
    )
    found = []
    modes = ListingDelivery.objects.filter(mode__code=attendances.MARKETS_MODE)
    producers = producers.prefetch_related(Prefetch("deliveries", modes, to_attr="market_deliveries"))
    for producer in producers.iterator(chunk_size=500):
        details = "".join(delivery.details for delivery in producer.market_deliveries)
        for mention in mentions(producer, details):
            text = fold(mention)
            for market in by_department.get(producer.department_id, []):
                pair = (producer.pk, market.pk)
                if pair in linked or pair in dismissed or not _names_market(text, market):
                    continue
                found.append(Suggestion(producer, market, mention))
                linked.add(pair)  # one suggestion per pair, from its first mention
                if len(found) >= limit:
                    return found
    return found


def _lock(producer_pk, market_pk):
    """Lock the producer's row (two volunteers on the same suggestion: the second waits, then sees the first's
    decision); AlreadyDecided if the suggestion no longer stands."""
    producer = Listing.objects.select_for_update().get(pk=producer_pk)
    _after_lock(producer)
    market = Listing.objects.get(pk=market_pk)
    if (
        producer.status != Listing.Status.PUBLISHED
        or market.status != Listing.Status.PUBLISHED
        or market.kind != Listing.Kind.MARKET
        or Attendance.objects.filter(producer=producer, market=market).exists()
        or DismissedMarketSuggestion.objects.filter(producer=producer, market=market).exists()
    ):
        raise AlreadyDecided
    return producer, market


def link(producer_pk, market_pk, by, mention=""):
    """Turn the suggestion into a link (every market day: the producer may say more through their link)."""
    with transaction.atomic():
        producer, market = _lock(producer_pk, market_pk)
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(producer=producer, market=market)
        except IntegrityError:
            raise AlreadyDecided from None
        attendances.sync_delivery_modes([producer.pk])
        _record(by, attendance, Decision.Action.LINK, mention)
    return attendance


def dismiss(producer_pk, market_pk, by, mention=""):
    """Never suggest this market for this producer again."""
    with transaction.atomic():
        producer, market = _lock(producer_pk, market_pk)
        try:
            with transaction.atomic():
                dismissed = DismissedMarketSuggestion.objects.create(producer=producer, market=market)
        except IntegrityError:
            raise AlreadyDecided from None
        _record(by, dismissed, Decision.Action.DISMISS, mention)
    return dismissed
