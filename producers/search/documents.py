"""A listing's search document: the stems of its name and categories, and of its descriptions.

Kept current by Listing.save() and by the signals below (categories added or removed, a category renamed or
deleted); `manage.py reindex_search` rebuilds every listing, e.g. after the stemming rules change. Synonyms are
applied to queries, so editing synonyms.csv needs no reindexing.
"""

import itertools

from django.db import transaction

from .analysis import iter_stems

BATCH_SIZE = 1000
FIELDS = ["search_title", "search_body"]


# PostgreSQL refuses a tsvector over 1 MB, which would make saving a listing with a huge description fail (its
# index entry is computed on save); 5,000 distinct stems are ~50 kB, far more than any real description.
MAX_STEMS = 5000


def _join(found):
    """Each stem once (the order and count of words do not matter), MAX_STEMS at most."""
    distinct = {}
    for stem in found:
        distinct[stem] = None
        if len(distinct) == MAX_STEMS:
            break
    return " ".join(distinct)


def category_texts(category):
    """The words a category is found by: its name, and its other languages' names when the model has them."""
    names = [category.name]
    for field in ("name_fr", "name_en"):
        value = getattr(category, field, None)
        if value and value not in names:
            names.append(value)
    return names


def document(name, short_description, description, category_names):
    """(search_title, search_body) for these texts."""
    title = itertools.chain(iter_stems(name), *(iter_stems(category) for category in category_names))
    return _join(title), _join(itertools.chain(iter_stems(short_description), iter_stems(description)))


def listing_document(listing, categories=None):
    """(search_title, search_body) of a listing; its categories are read unless given (a new one has none)."""
    if categories is None:
        categories = list(listing.categories.all()) if listing.pk else []
    # In the taxonomy's order, as listing.categories.all() gives them: the same listing, the same document.
    ordered = sorted(categories, key=lambda category: (category.position, category.name))
    names = [text for category in ordered for text in category_texts(category)]
    return document(listing.name, listing.short_description, listing.description, names)


def reindex(listings):
    """Recompute and store the documents of a queryset of listings, BATCH_SIZE at a time; returns the count."""
    count = 0
    ids = list(listings.order_by("pk").values_list("pk", flat=True))
    model = listings.model
    for start in range(0, len(ids), BATCH_SIZE):
        with transaction.atomic():
            batch = list(model.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).prefetch_related("categories"))
            for listing in batch:
                listing.search_title, listing.search_body = listing_document(listing, listing.categories.all())
            model.objects.bulk_update(batch, FIELDS)
        count += len(batch)
    return count
