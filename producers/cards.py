"""Listing cards (templates/producers/includes/listing_card.html) rendered once and reused from the cache.

A page of 20 cards took about 5 ms of CPU to render, a quarter of a department page on a cache miss. A card's
HTML depends on the listing (any change visible to the public drops the cache: producers.signals), the language,
whether it names the department, the distance shown and the opening-hours label of the moment: all in its key.
"""

import hashlib

from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.translation import get_language

from localdir.cache import cached_fragments

from .models import Category
from .templatetags.directory import distance_km


def _key(listing, show_department, language):
    label = listing.hours_status.label if getattr(listing, "hours_status", None) else ""
    distance = distance_km(getattr(listing, "distance_sq", None))
    varying = hashlib.blake2b(f"{distance}|{label}".encode(), digest_size=8).hexdigest()
    return f"card.{listing.pk}.{language}.{int(show_department)}.{varying}"


def attach_cards(listings, show_department=False):
    """Set `card` (its HTML) on each listing, whose `hours_status` is already set (hours.attach_statuses).

    Only the cards missing from the cache are rendered, their categories fetched for them in one query.
    """
    language = get_language()
    by_key = {_key(listing, show_department, language): listing for listing in listings}

    def render(keys):
        missing = [by_key[key] for key in keys]
        prefetch_related_objects(missing, Prefetch("categories", Category.objects.only("name", "name_en")))
        return {
            key: render_to_string(
                "producers/includes/listing_card.html", {"listing": listing, "show_department": show_department}
            )
            for key, listing in zip(keys, missing, strict=True)
        }

    html = cached_fragments(list(by_key), render)
    for key, listing in by_key.items():
        listing.card = html[key]
    return listings
