"""Listing cards (templates/producers/includes/listing_card.html) rendered once and reused from the cache.

A page of 20 cards took about 5 ms of CPU to render, a quarter of a department page on a cache miss. A card's
HTML depends on the listing (any change visible to the public drops the cache: producers.signals), the language,
whether it names the department, the distance shown and the opening-hours label of the moment: all in its key. Its
link's query (the way back to a filtered list: producers.results_link) is a hole filled in for each page, so that one
cached card serves every list.
"""

import copy
import hashlib

from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from localdir.cache import cached_fragments

from .models import Category
from .results_link import HOLE
from .templatetags.directory import distance_km


def _key(listing, show_department, language):
    # An OpeningStatus is false whenever the listing is not open: each closed label ("opens Monday", "opens
    # tomorrow", temporarily closed) must still be a card of its own.
    status = getattr(listing, "hours_status", None)
    label = status.label if status is not None else ""
    distance = distance_km(getattr(listing, "distance_sq", None))
    varying = hashlib.blake2b(f"{distance}|{label}".encode(), digest_size=8).hexdigest()
    return f"card2.{listing.pk}.{language}.{int(show_department)}.{varying}"


def attach_cards(listings, show_department=False, link_query=""):
    """Set `card` (its HTML) on each listing, whose `hours_status` is already set (hours.attach_statuses).

    `link_query` ends the card's link to its listing (results_link.card_query()).
    """
    for listing, card in zip(listings, card_html(listings, show_department, link_query), strict=True):
        listing.card = card
    return listings


def card_html(listings, show_department=False, link_query=""):
    """The cards of `listings` (their HTML, in order), which are left unchanged: they may be shared, cached data.

    Only the cards missing from the cache are rendered, their categories fetched for them in one query (on copies).
    """
    language = get_language()
    keys = [_key(listing, show_department, language) for listing in listings]
    by_key = dict(zip(keys, listings, strict=True))

    def render(missing_keys):
        missing = [copy.copy(by_key[key]) for key in missing_keys]
        prefetch_related_objects(missing, Prefetch("categories", Category.objects.only("name", "name_en")))
        return {
            key: render_to_string(
                "producers/includes/listing_card.html",
                {"listing": listing, "show_department": show_department, "link_query": HOLE},
            )
            for key, listing in zip(missing_keys, missing, strict=True)
        }

    html = cached_fragments(list(by_key), render)
    # The link comes first in a card: the hole cannot be confused with a listing's text.
    query = escape(link_query)
    return [mark_safe(html[key].replace(HOLE, query, 1)) for key in keys]
