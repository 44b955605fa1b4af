"""What a listing's page shows beside the listing's own row: its categories, delivery modes and local currencies,
its photos and its temporary closures.

Five prefetch queries cost the page ~3 ms of CPU at 100,000 listings, most of it in Django compiling the queries
and building model instances rather than in the database (docs/performance.md). So the three link tables are read in
one statement of (kind, id, details) rows whose ids point into the taxonomy kept in the cache
(producers.reference): the names come from there, the links are read afresh on every page. The statement is plain
SQL, the same on PostgreSQL and SQLite, with the table and column names taken from the models.
"""

from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from django.db import connections, router

from . import reference
from .models import Closure, Listing, ListingDelivery, ListingPhoto
from .reference import Currency, Term

CATEGORY, DELIVERY, CURRENCY = 1, 2, 3


class Delivery(NamedTuple):
    mode: Term
    details: str


@dataclass
class Details:
    categories: list[Term]
    deliveries: list[Delivery]
    currencies: list[Currency]
    photos: list[ListingPhoto]
    closures: list[Closure]


@cache
def _links_sql():
    categories, currencies = Listing.categories.field, Listing.currencies.field
    deliveries = ListingDelivery._meta
    return " UNION ALL ".join(
        [
            f"SELECT {CATEGORY}, {categories.m2m_reverse_name()}, '' FROM {categories.m2m_db_table()}"
            f" WHERE {categories.m2m_column_name()} = %s",
            f"SELECT {DELIVERY}, {deliveries.get_field('mode').column}, {deliveries.get_field('details').column}"
            f" FROM {deliveries.db_table} WHERE {deliveries.get_field('listing').column} = %s",
            f"SELECT {CURRENCY}, {currencies.m2m_reverse_name()}, '' FROM {currencies.m2m_db_table()}"
            f" WHERE {currencies.m2m_column_name()} = %s",
        ]
    )


def _links(listing):
    """{kind: {id: details}} of the listing's categories, delivery modes and currencies."""
    connection = connections[router.db_for_read(ListingDelivery)]  # the replica for public pages, if any
    links = {CATEGORY: {}, DELIVERY: {}, CURRENCY: {}}
    with connection.cursor() as cursor:
        cursor.execute(_links_sql(), [listing.pk] * 3)
        for kind, pk, details in cursor.fetchall():
            links[kind][pk] = details
    return links


def load(listing, today):
    """The listing's related rows, each list in the order the site shows it (the taxonomy's, by name, by
    position), and its temporary closures not over on `today`."""
    links = _links(listing)
    return Details(
        categories=[term for pk, term in reference.categories_by_id().items() if pk in links[CATEGORY]],
        deliveries=[
            Delivery(term, links[DELIVERY][pk])
            for pk, term in reference.delivery_modes_by_id().items()
            if pk in links[DELIVERY]
        ],
        currencies=[currency for pk, currency in reference.currencies_by_id().items() if pk in links[CURRENCY]],
        photos=list(ListingPhoto.objects.filter(listing=listing.pk)),
        closures=list(Closure.objects.not_over(today).filter(listing=listing.pk)),
    )
