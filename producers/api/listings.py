"""The listings through the public API: pages of them as JSON, GeoJSON or GoGoCarto's JSON, one of them as JSON or
schema.org JSON-LD, the markets, and the map's visible area.

Every list takes the directory pages' filters through the same producers.filters.ListingFilter, so the API and
the pages always agree on what a filter means. Lists come in primary key order, a stable order however the data
changes, page after page with a cursor (the last key seen): a page costs the same query whatever its depth, where
an offset would make PostgreSQL walk every row before it.
"""

import json
import re

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query
from ninja.decorators import decorate_view

from producers import exports, maps, reference, seo
from producers.filters import ListingFilter
from producers.models import Attendance, Listing

from . import schemas
from .http import ReadRouter, Refused, decode_cursor, endpoint, next_url, with_licence

router = ReadRouter(tags=["listings"])

ERRORS = {400: schemas.Error}
SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what the <slug:…> converter of the pages accepts
MARKET_TYPE = Query(None, description="Only the markets of this type.")


def filtered(filters, kind=None):
    """(the published listings the filters keep, the filter set, the department asked for or None)."""
    data = filters.dict(exclude_none=True)
    queryset = Listing.objects.published()
    department = None
    if code := data.pop("department", None):
        department = reference.department_by_code().get(code.upper())
        if department is None:
            raise Refused(_("Unknown department."), {"department": [_("No department has this code.")]})
        queryset = queryset.in_department(department)
    if kind is not None:
        data["kind"] = kind
    # The filter set reads a query string, as on the pages: a checked box is "on", an unchecked one absent.
    query = {name: "on" if value is True else str(value) for name, value in data.items() if value is not False}
    filterset = ListingFilter(query, queryset=queryset, department=department)
    if not filterset.is_valid():
        raise Refused(
            _("Some filters are not valid."), {name: list(errors) for name, errors in filterset.errors.items()}
        )
    listings = filterset.qs
    if filterset.town_choices:
        raise Refused(
            _("Several places have this name: give commune_code too."),
            {"commune": [_("Several places have this name.")]},
            [{"code": place.code, "label": place.label} for place in filterset.town_choices],
        )
    if filterset.town_not_found:
        raise Refused(_("Unknown town."), {"commune": [_("No town or postal code matches.")]})
    return listings, filterset, department


def _page_of(listings, page):
    """(records of one page of `listings`, the primary key to continue from or None on the last page)."""
    after = decode_cursor(page.cursor)
    if after and not re.fullmatch(r"[0-9]{1,18}", after):  # not "²" (isdigit, yet no int), nor past a bigint
        raise Refused(_("This cursor is not valid: follow the next links."), {"cursor": [page.cursor[:50]]})
    # A circle (within(): a town and a distance) reads its page's ids from an index first (exports.rows).
    circle = "distance_sq" in listings.query.annotations
    rows = exports.rows(listings, after=int(after or 0), limit=page.limit + 1, ids_first=circle)
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    return exports.records_of(rows), rows[-1]["pk"] if more else None


def _listing_page(request, listings, page):
    records, last = _page_of(listings, page)
    return with_licence({"next": next_url(request, last) if last else None, "results": records})


@router.get("/listings", response={200: schemas.ListingPage, **ERRORS}, summary="Listings")
@decorate_view(endpoint)
def listing_list(request, filters: Query[schemas.ListingFilters], page: Query[schemas.PageParams]):
    """The published listings the filters keep, a page at a time in a stable order: follow `next`."""
    listings, _filterset, _department = filtered(filters)
    return _listing_page(request, listings, page)


@router.get("/markets", response={200: schemas.ListingPage, **ERRORS}, summary="Markets")
@decorate_view(endpoint)
def market_list(
    request,
    filters: Query[schemas.ListingFilters],
    page: Query[schemas.PageParams],
    market_type: schemas.MarketType | None = MARKET_TYPE,
):
    """The listings of kind `market`, with the same filters (`kind` aside) and pages as /listings; each market's
    producers are in /listings/{slug} (`stands`)."""
    listings, _filterset, _department = filtered(filters, kind=Listing.Kind.MARKET)
    if market_type is not None:
        listings = listings.filter(market_type=market_type)
    return _listing_page(request, listings, page)


@router.get(
    "/listings.geojson",
    response={200: schemas.ListingFeatureCollection, **ERRORS},
    summary="Listings as GeoJSON",
    media_type="application/geo+json",
)
@decorate_view(endpoint)
def listing_geojson(request, filters: Query[schemas.ListingFilters], page: Query[schemas.PageParams]):
    """The same pages as /listings as a GeoJSON FeatureCollection (RFC 7946), as the open-data GeoJSON file writes
    each listing."""
    listings, _filterset, _department = filtered(filters)
    records, last = _page_of(listings, page)
    body = {
        "type": "FeatureCollection",
        **with_licence({"next": next_url(request, last) if last else None}),
        "features": [exports.feature(record) for record in records],
    }
    return _json(body, "application/geo+json")


def gogocarto_element(record):
    """A listing as GoGoCarto (and Transiscope, which gathers GoGoCarto maps) reads an element."""
    return {
        "id": record["slug"],
        "name": record["name"],
        "geo": {"latitude": record["latitude"], "longitude": record["longitude"]},
        "address": {
            "streetAddress": record["street_address"],
            "postalCode": record["postal_code"],
            "addressLocality": record["commune"],
            "addressCountry": "FR",
        },
        "categories": record["categories"],
        "description": record["short_description"],
        "descriptionMore": record["description"],
        "telephone": record["phone"],
        "email": record["email"],
        "website": record["website"],
        "openHours": record["opening_hours"],
        "sourceKey": settings.SITE_NAME,
        "url": record["url"],
        "updatedAt": record["updated_at"],
    }


@router.get("/gogocarto", response={200: schemas.GoGoCartoPage, **ERRORS}, summary="Listings as GoGoCarto elements")
@decorate_view(endpoint)
def listing_gogocarto(request, filters: Query[schemas.ListingFilters], page: Query[schemas.PageParams]):
    """The same pages as /listings in the shape of GoGoCarto's elements API (`ontology` gogofull), for GoGoCarto
    maps and Transiscope."""
    listings, _filterset, _department = filtered(filters)
    records, last = _page_of(listings, page)
    return {
        "licence": settings.OPEN_DATA_LICENCE_URL,
        "ontology": "gogofull",
        "next": next_url(request, last) if last else None,
        "data": [gogocarto_element(record) for record in records],
    }


@router.get("/listings/{slug}", response={200: schemas.ListingDetail, 404: schemas.Error}, summary="One listing")
@decorate_view(endpoint)
def listing_detail(request, slug: str):
    """A listing with its stands at markets: a producer's markets, or a market's producers (both published)."""
    if not SLUG.fullmatch(slug):  # a NUL byte would reach PostgreSQL as a DataError
        raise Http404
    rows = exports.rows(Listing.objects.published().filter(slug=slug), limit=1)
    if not rows:
        raise Http404
    return with_licence({**exports.records_of(rows)[0], **_stands(rows[0]["pk"])})


def _stands(pk):
    """{"markets": […], "stands": […]} of the listing `pk`, read in one query for both sides."""
    found = {"markets": [], "stands": []}
    links = Attendance.objects.public().filter(Q(producer=pk) | Q(market=pk))
    url = settings.SITE_URL + Listing(slug="SLUG").get_absolute_url()
    fields = ["producer_id", "schedule"]
    for prefix in ("market", "producer"):
        fields += [f"{prefix}__slug", f"{prefix}__name", f"{prefix}__commune__name"]
    for row in links.order_by("market__name", "producer__name", "pk").values(*fields):
        side, other = ("markets", "market") if row["producer_id"] == pk else ("stands", "producer")
        found[side].append(
            {
                "slug": row[f"{other}__slug"],
                "name": row[f"{other}__name"],
                "url": url.replace("SLUG", row[f"{other}__slug"]),
                "commune": row[f"{other}__commune__name"],
                "schedule": row["schedule"],
            }
        )
    return found


@router.get(
    "/listings/{slug}/jsonld",
    response={200: dict, 404: schemas.Error},
    summary="One listing as JSON-LD",
    media_type="application/ld+json",
)
@decorate_view(endpoint)
def listing_json_ld(request, slug: str):
    """The schema.org description the listing's page carries (LocalBusiness or Store), as application/ld+json. Its
    licence is in the Link header (rel="license"), which schema.org has no property for on a business."""
    if not SLUG.fullmatch(slug):
        raise Http404
    listings = Listing.objects.published().select_related("commune").prefetch_related(Prefetch("photos"))
    listing = listings.filter(slug=slug).first()
    if listing is None:
        raise Http404
    return _json(seo.listing_json_ld(listing), "application/ld+json")


@router.get(
    "/map",
    response={200: schemas.MapCollection, **ERRORS},
    summary="The map's visible area",
    media_type="application/geo+json",
)
@decorate_view(endpoint)
def visible_area(
    request,
    filters: Query[schemas.ListingFilters],
    bbox: str | None = Query(None, description="west,south,east,north in degrees; without it, everywhere."),
    zoom: int | None = Query(None, ge=0, le=maps.MAX_ZOOM, description="The map's zoom level (Leaflet's); 6 without."),
):
    """What a map shows of the filtered listings inside a box, as the site's own maps read it: the listings one by
    one, or clusters counted per cell of a grid when there are more than a few hundred."""
    try:
        viewport = maps.Viewport.from_query(request.GET, default_zoom=6)
    except maps.BadViewport as error:
        raise Refused(str(error), {"bbox": [str(error)]}) from None
    listings, filterset, department = filtered(filters)
    scope = None
    if not filterset.is_filtered:  # the cached grid of the unfiltered set (producers/maps/grid.py)
        scope = department.pk if department is not None else maps.grid.FRANCE
    data = maps.collection(listings, viewport, scope=scope)
    data["listing_url"] = settings.SITE_URL + data["listing_url"]
    return _json(with_licence(data), "application/geo+json")


def _json(data, content_type):
    """A body written as is, for the formats whose media type says more than application/json."""
    return HttpResponse(json.dumps(data, ensure_ascii=False, separators=(",", ":")), content_type=content_type)
