"""What a listing's page reads: the listing's own row with its commune and department (listing()), and beside it
(load()) its categories, delivery modes and local currencies, its photos, its temporary closures and whether it has
stands at markets.

Six ORM queries (prefetches, then plain filters) cost the page ~3 ms of CPU at 100,000 listings, most of it in
Django compiling the queries and building model instances rather than in the database (docs/performance.md). So
they are read in one statement, a UNION ALL of one part per kind of row, whose columns are (kind, id, three texts,
a number, two dates), each part filling those it needs. The links' ids point into the taxonomy kept in the cache
(producers.reference): the names come from there, the links are read afresh on every page. The statement is plain
SQL, the same on PostgreSQL and SQLite, with the table and column names taken from the models; the order each list
is shown in (the models' own orderings) is applied in Python.

The listing's row is read by a hand-written statement too: compiling the ORM's query of three tables and some fifty
columns took more CPU than PostgreSQL took to answer it. Its values go through the fields' converters and into
instances as the ORM's own (from_db), the commune and department attached as select_related() would.
"""

import datetime
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from django.db import connections, router

from . import reference
from .models import Attendance, Closure, Commune, Department, Listing, ListingDelivery, ListingPhoto
from .reference import Currency, Term

CATEGORY, DELIVERY, CURRENCY, PHOTO, CLOSURE, MARKET = 1, 2, 3, 4, 5, 6


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
    # Whether the listing has a stand at a published market: the markets themselves are read only then
    # (producers.attendances.producer_visits), most listings having none.
    at_markets: bool


# Never shown on the page: the search document, read by the search only.
UNREAD = {"search_title", "search_body"}


@cache
def _listing_statement():
    """(SQL, [(model, fields)]): the published listing of a slug, its commune and its department, one row."""
    parts = [
        (Listing, "l", [field for field in Listing._meta.concrete_fields if field.name not in UNREAD]),
        (Commune, "c", list(Commune._meta.concrete_fields)),
        (Department, "d", list(Department._meta.concrete_fields)),
    ]
    columns = ", ".join(f"{alias}.{field.column}" for _, alias, fields in parts for field in fields)
    slug, status, commune = _columns(Listing, "slug", "status", "commune")
    (department,) = _columns(Commune, "department")
    return (
        f"SELECT {columns} FROM {Listing._meta.db_table} l"
        f" JOIN {Commune._meta.db_table} c ON c.{Commune._meta.pk.column} = l.{commune}"
        f" JOIN {Department._meta.db_table} d ON d.{Department._meta.pk.column} = c.{department}"
        f" WHERE l.{slug} = %s AND l.{status} = %s",
        [(model, fields) for model, _, fields in parts],
    )


@cache
def _converters(alias):
    """For each column of the listing's statement, the converters the ORM would apply to its value on that database
    (a phone number parsed, SQLite's dates and booleans read…), with the column expression they are given."""
    connection = connections[alias]
    result = []
    for _, fields in _listing_statement()[1]:
        for field in fields:
            column = field.get_col(field.model._meta.db_table)
            result.append((column, connection.ops.get_db_converters(column) + field.get_db_converters(connection)))
    return result


def listing(slug):
    """The published listing of `slug`, its commune and department loaded with it (one query), or None."""
    connection = connections[router.db_for_read(Listing)]  # the replica for public pages, if any
    sql, parts = _listing_statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug, Listing.Status.PUBLISHED])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for i, (column, converters) in enumerate(_converters(connection.alias)):
        for converter in converters:
            values[i] = converter(values[i], column, connection)
    instances, start = [], 0
    for model, fields in parts:
        names = [field.attname for field in fields]
        instances.append(model.from_db(connection.alias, names, values[start : start + len(fields)]))
        start += len(fields)
    item, commune, department = instances
    commune.department = department
    item.commune = commune
    if item.department_id == department.pk:
        item.department = department
    return item


def _columns(model, *names):
    return [model._meta.get_field(name).column for name in names]


# The fields each part reads into model instances, in the order of the statement's columns (after kind and id).
PHOTO_FIELDS = ("image", "thumbnail", "alt_text", "position")
CLOSURE_FIELDS = ("note", "starts_on", "ends_on")


@cache
def _statement():
    categories, currencies = Listing.categories.field, Listing.currencies.field
    delivery = _columns(ListingDelivery, "mode", "details", "listing")
    image, thumbnail, alt_text, position, photo_listing = _columns(ListingPhoto, *PHOTO_FIELDS, "listing")
    note, starts_on, ends_on, closure_listing = _columns(Closure, *CLOSURE_FIELDS, "listing")
    market, producer = _columns(Attendance, "market", "producer")
    status, kind = _columns(Listing, "status", "kind")
    # An explicit type for each column a part leaves empty: PostgreSQL resolves a UNION's types part by part.
    no_date, no_text = "CAST(NULL AS DATE)", "''"
    link = f"{no_text}, {no_text}, 0, {no_date}, {no_date}"
    return " UNION ALL ".join(
        [
            f"SELECT {CATEGORY}, {categories.m2m_reverse_name()}, '', {link} FROM {categories.m2m_db_table()}"
            f" WHERE {categories.m2m_column_name()} = %(pk)s",
            f"SELECT {DELIVERY}, {delivery[0]}, {delivery[1]}, {link} FROM {ListingDelivery._meta.db_table}"
            f" WHERE {delivery[2]} = %(pk)s",
            f"SELECT {CURRENCY}, {currencies.m2m_reverse_name()}, '', {link} FROM {currencies.m2m_db_table()}"
            f" WHERE {currencies.m2m_column_name()} = %(pk)s",
            f"SELECT {PHOTO}, {ListingPhoto._meta.pk.column}, {image}, {thumbnail}, {alt_text}, {position},"
            f" {no_date}, {no_date} FROM {ListingPhoto._meta.db_table} WHERE {photo_listing} = %(pk)s",
            f"SELECT {CLOSURE}, {Closure._meta.pk.column}, {note}, {no_text}, {no_text}, 0, {starts_on}, {ends_on}"
            f" FROM {Closure._meta.db_table} WHERE {closure_listing} = %(pk)s AND {ends_on} >= %(today)s",
            # The page is the producer's own, published: its markets must be published markets too (as
            # Attendance.objects.public()).
            f"SELECT {MARKET}, a.{market}, '', {link} FROM {Attendance._meta.db_table} a"
            f" JOIN {Listing._meta.db_table} m ON m.{Listing._meta.pk.column} = a.{market}"
            f" WHERE a.{producer} = %(pk)s AND m.{status} = %(published)s AND m.{kind} = %(market)s",
        ]
    )


def _instance(model, alias, values, listing):
    """One of `listing`'s rows as the ORM builds it (from_db): `values` by field name, the fields not given
    deferred."""
    values = {**values, "listing_id": listing.pk}
    fields = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    instance = model.from_db(alias, fields, [values[name] for name in fields])
    instance.listing = listing
    return instance


def _date(value):
    """A date column's value: SQLite gives back the text it stores."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _rows(listing, today):
    connection = connections[router.db_for_read(ListingDelivery)]  # the replica for public pages, if any
    params = {
        "pk": listing.pk,
        "today": connection.ops.adapt_datefield_value(today),
        "published": Listing.Status.PUBLISHED,
        "market": Listing.Kind.MARKET,
    }
    with connection.cursor() as cursor:
        cursor.execute(_statement(), params)
        return connection.alias, cursor.fetchall()


def load(listing, today):
    """The listing's related rows, each list in the order the site shows it (the taxonomy's, by name, by
    position, by date), and its temporary closures not over on `today`."""
    alias, rows = _rows(listing, today)
    links = {CATEGORY: {}, DELIVERY: {}, CURRENCY: {}}
    photos, closures, at_markets = [], [], False
    for kind, pk, text, text2, text3, number, first, last in rows:
        if kind in links:
            links[kind][pk] = text
        elif kind == PHOTO:
            values = dict(zip(PHOTO_FIELDS, (text, text2, text3, number), strict=True))
            photos.append(_instance(ListingPhoto, alias, {"id": pk, **values}, listing))
        elif kind == CLOSURE:
            values = dict(zip(CLOSURE_FIELDS, (text, _date(first), _date(last)), strict=True))
            closures.append(_instance(Closure, alias, {"id": pk, **values}, listing))
        else:
            at_markets = True
    return Details(
        categories=[term for pk, term in reference.categories_by_id().items() if pk in links[CATEGORY]],
        deliveries=[
            Delivery(term, links[DELIVERY][pk])
            for pk, term in reference.delivery_modes_by_id().items()
            if pk in links[DELIVERY]
        ],
        currencies=[currency for pk, currency in reference.currencies_by_id().items() if pk in links[CURRENCY]],
        photos=sorted(photos, key=lambda photo: (photo.position, photo.pk)),
        closures=sorted(closures, key=lambda closure: (closure.starts_on, closure.ends_on, closure.pk)),
        at_markets=at_markets,
    )
