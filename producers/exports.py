"""Open data: the published listings as CSV and GeoJSON, for one department or for all of France.

Only what the public listing page shows goes out (no status, no internal ids). Files are streamed: listings
are read in chunks of CHUNK_SIZE by primary key, and each chunk's categories, delivery modes and currencies
are fetched in one query per relation, so 100,000 listings export in constant memory and a constant number
of queries per chunk. The columns are documented in docs/open-data.md; producers/imports.py reads them back.
"""

import csv
import datetime
import json
from types import SimpleNamespace

from django.conf import settings
from django.db.models import CharField
from django.db.models.functions import Cast
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_GET

from localdir.spreadsheet import protect

from . import markets
from .listing_data import COLUMNS, CONTROL, control_characters
from .models import Closure, Department, Listing, ListingDelivery

CHUNK_SIZE = 2000
SEPARATOR = "|"

_FIELDS = {
    "pk": "pk",
    "name": "name",
    "slug": "slug",
    "kind": "kind",
    "market_type": "market_type",
    "short_description": "short_description",
    "description": "description",
    "street_address": "street_address",
    "postal_code": "postal_code",
    "commune": "commune__name",
    "insee_code": "commune__insee_code",
    "department": "department__code",
    "latitude": "latitude",
    "longitude": "longitude",
    "phone": "phone",
    "email": "email",
    "website": "website",
    "facebook_url": "facebook_url",
    "instagram_url": "instagram_url",
    "other_links": "other_links",
    "opening_hours": "opening_hours",
    "updated_at": "updated_at",
}


def licence():
    return {"name": settings.OPEN_DATA_LICENCE, "url": settings.OPEN_DATA_LICENCE_URL}


def delivery_label(code, details):
    """'click-and-collect: Commande la veille'; a "|" or a line break in the details would split the cell."""
    details = CONTROL.sub(" ", details.replace(SEPARATOR, "/")).strip()
    return f"{code}: {details}" if details else code


def _related(model_through, listing_ids, column, order_by):
    values = {}
    rows = (
        model_through.objects.filter(listing_id__in=listing_ids).order_by(*order_by).values_list("listing_id", column)
    )
    for listing_id, value in rows:
        values.setdefault(listing_id, []).append(value)
    return values


def records(queryset):
    """Dicts with COLUMNS as keys (lists for LIST_COLUMNS), in primary key order, read chunk by chunk."""
    last_pk = 0
    while True:
        chunk = rows(queryset, after=last_pk, limit=CHUNK_SIZE)
        if not chunk:
            return
        last_pk = chunk[-1]["pk"]
        yield from records_of(chunk)


def rows(queryset, after=0, limit=CHUNK_SIZE, ids_first=False):
    """Up to `limit` listings of `queryset` past primary key `after`, in primary key order, as rows for
    records_of() (one query; the public API pages through them with the last row's "pk" as its cursor).

    `ids_first`: the page's ids are chosen first (a subquery), then only their rows are read. For a circle (a town and
    a distance), whose ids come from an index alone (listing_published_position, with the category ids on
    PostgreSQL): reading the rows as it filtered read every row it tested from the table (Lille + 10 km + a category
    at 1,000,000 listings: 12,572 rows and their communes to keep 51, 130-150 ms; 15 ms so). A list read in key order
    (all of France, a department) gains nothing and pays the second look-up of each row."""
    # The phone is stored in E.164 already: reading it as text skips parsing 100,000 numbers.
    fields = [field for field in _FIELDS.values() if field != "phone"]
    base = queryset.order_by("pk").values(*fields, "email_public", phone_e164=Cast("phone", CharField()))
    if ids_first:
        return list(base.filter(pk__in=queryset.order_by("pk").filter(pk__gt=after).values("pk")[:limit]))
    return list(base.filter(pk__gt=after)[:limit])


def records_of(chunk):
    """The records of rows() in the same order: their categories, delivery modes and currencies in one query each."""
    listing_url = settings.SITE_URL + Listing(slug="SLUG").get_absolute_url()
    ids = [row["pk"] for row in chunk]
    if not ids:
        return []
    categories = _related(Listing.categories.through, ids, "category__slug", ["category__position", "category__name"])
    currencies = _related(Listing.currencies.through, ids, "localcurrency__slug", ["localcurrency__name"])
    deliveries = {}
    for listing_id, code, details in (
        ListingDelivery.objects.filter(listing_id__in=ids)
        .order_by("mode__position", "mode__code")
        .values_list("listing_id", "mode__code", "details")
    ):
        deliveries.setdefault(listing_id, []).append(delivery_label(code, details))
    next_dates = _next_dates([row for row in chunk if row["kind"] in markets.MARKET_KINDS])
    found = []
    for row in chunk:
        pk = row["pk"]
        record = {column: row[field] for column, field in _FIELDS.items() if column not in ("pk", "phone")}
        record["url"] = listing_url.replace("SLUG", row["slug"])
        record["phone"] = row["phone_e164"] or ""
        if not row["email_public"]:  # the producer keeps it for the volunteers only
            record["email"] = ""
        record["other_links"] = [line.strip() for line in row["other_links"].splitlines() if line.strip()]
        record["categories"] = categories.get(pk, [])
        record["delivery_modes"] = deliveries.get(pk, [])
        record["currencies"] = currencies.get(pk, [])
        record["next_date"] = next_dates.get(pk, "")
        record["updated_at"] = row["updated_at"].astimezone(datetime.UTC).isoformat(timespec="seconds")
        found.append({column: record[column] for column in COLUMNS})
    return found


def _next_dates(rows):
    """{pk: ISO 8601 start of its next date} for the markets among a chunk's rows, their closures in one query."""
    if not rows:
        return {}
    closures = {}
    for closure in Closure.objects.not_over().filter(listing_id__in=[row["pk"] for row in rows]):
        closures.setdefault(closure.listing_id, []).append(closure)
    moment = timezone.now()
    found = {}
    for row in rows:
        market = SimpleNamespace(opening_hours=row["opening_hours"], current_closures=closures.get(row["pk"], ()))
        upcoming = markets.next_occurrences(market, count=1, moment=moment)
        if upcoming:
            found[row["pk"]] = upcoming[0].starts_at().isoformat()
    return found


class _Echo:
    """The file-like object csv.writer needs, handing back each line instead of storing it."""

    def write(self, value):
        return value


def _csv_cell(column, value):
    if isinstance(value, list):
        value = SEPARATOR.join(value)
    if value is None:
        return ""
    if isinstance(value, str) and not value.isprintable():  # isprintable() first: 6 times cheaper than the regex
        # Some stored rows hold control characters that the import refuses: a file we write must read back.
        value = control_characters(column).sub(" ", value)
    return protect(value)


def csv_lines(queryset):
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield writer.writerow(COLUMNS)
    for record in records(queryset):
        yield writer.writerow([_csv_cell(column, record[column]) for column in COLUMNS])


def feature(record):
    lat, lon = record["latitude"], record["longitude"]
    geometry = None if lat is None or lon is None else {"type": "Point", "coordinates": [lon, lat]}
    properties = {key: value for key, value in record.items() if key not in ("latitude", "longitude")}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def geojson_chunks(queryset, generated_at):
    head = {"type": "FeatureCollection", "licence": licence(), "generated_at": generated_at.isoformat()}
    # The collection is written by hand around the features, so that none of them waits in memory.
    yield json.dumps(head, ensure_ascii=False)[:-1] + ',"features":['
    separator = ""
    for record in records(queryset):
        yield separator + json.dumps(feature(record), ensure_ascii=False, separators=(",", ":"))
        separator = ",\n"
    yield "]}\n"


FORMATS = {
    "csv": ("text/csv; charset=utf-8", lambda qs, now: csv_lines(qs)),
    "geojson": ("application/geo+json", geojson_chunks),
}


def export_response(queryset, fmt, name):
    """A streamed download named `<name>-<date>.<fmt>`, with the licence in a Link header."""
    content_type, serialise = FORMATS[fmt]
    now = timezone.localtime(timezone.now()).replace(microsecond=0)
    response = StreamingHttpResponse(serialise(queryset, now), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}-{now.date().isoformat()}.{fmt}"'
    response["Link"] = f'<{settings.OPEN_DATA_LICENCE_URL}>; rel="license"; title="{settings.OPEN_DATA_LICENCE}"'
    response["X-Generated-At"] = now.isoformat()
    return response


@require_GET
def department_export(request, code, slug, fmt):
    department = get_object_or_404(Department, code=code.upper())
    if slug != department.slug:
        return redirect("producers:department_export", code=department.code, slug=department.slug, fmt=fmt)
    queryset = Listing.objects.published().in_department(department)
    return export_response(queryset, fmt, f"activites-{department.code}-{department.slug}")


@require_GET
def france_export(request, fmt):
    return export_response(Listing.objects.published(), fmt, "activites-france")
