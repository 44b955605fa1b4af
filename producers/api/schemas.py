"""What the public API takes and gives, as pydantic models: the OpenAPI schema is generated from them.

The listing's fields are the open-data files' columns (producers.listing_data.COLUMNS, docs/open-data.md): a
partner reading the GeoJSON export reads the API the same way. The descriptions are for developers and stay in
English, like the schema they end up in.
"""

from typing import Literal

import django_filters
from ninja import Field, Schema
from pydantic import BaseModel, create_model

from producers.filters import ListingFilter
from producers.models import Listing

Kind = Literal[tuple(Listing.Kind.values)]
MarketType = Literal[("", *Listing.MarketType.values)]


class Out(BaseModel):
    """What the API answers: plain pydantic models over dicts (producers/exports.py's records). ninja's Schema would
    also wrap every nested object in a reader of model attributes, which dicts never need."""


class Licence(Out):
    name: str = Field(examples=["Licence Ouverte 2.0"])
    url: str


# What the pages' filters take, for the schema; a filter without a line here is documented by its type alone.
FILTER_DESCRIPTIONS = {
    "q": "Free text: every word must match (French stems, synonyms).",
    "commune": "A town's name or postal code (`Angers`, `49000`, `Angers (49)`).",
    "distance": "Kilometres around `commune`; without it, the town only.",
    "category": "A category slug from /categories.",
    "delivery": "A delivery mode code from /delivery-modes.",
    "currency": "A local currency slug from /currencies.",
    "when": "`today`: open later today or now; `weekend`: open on the coming Saturday or Sunday (what is left of it "
    "on a weekend day). Europe/Paris; with `kind=market`, the markets held then.",
    "open_now": "Open at the moment of the request (Europe/Paris).",
}


def _filter_parameter(name, filter_):
    """(type, Field) of a query parameter for one of ListingFilter's filters: a box to tick is a boolean, a list
    of choices fixed in the code an enum, anything else (choices read from the database included) a string."""
    choices = filter_.extra.get("choices")
    if isinstance(filter_, django_filters.BooleanFilter):
        annotation = bool
    elif isinstance(filter_, django_filters.ChoiceFilter) and choices is not None and not callable(choices):
        annotation = Literal[tuple(str(value) for value, _label in choices)]
    else:
        annotation = str
    return annotation | None, Field(None, description=FILTER_DESCRIPTIONS.get(name))


# The directory pages' filters (producers.filters.ListingFilter), derived from it so that a filter added to the
# pages is taken by the API at once (and changes the committed schema: `make openapi`), plus `department`, which
# the pages take from their URL, and `commune_code`, the place meant when `commune` names several.
ListingFilters = create_model(
    "ListingFilters",
    __base__=Schema,
    department=(str | None, Field(None, description="A department code (`49`, `2A`, `974`).", examples=["49"])),
    **{name: _filter_parameter(name, filter_) for name, filter_ in ListingFilter.base_filters.items()},
    commune_code=(
        str | None,
        Field(None, description="The INSEE code of the place meant when `commune` names several (see the 400 answer)."),
    ),
)


class PageParams(Schema):
    cursor: str | None = Field(None, description="The `next` link's cursor: where the previous page ended.")
    limit: int = Field(50, ge=1, le=200, description="Listings per page.")


class ListingOut(Out):
    name: str
    slug: str = Field(description="The listing's stable identifier: /listings/{slug}.")
    url: str = Field(description="Its public page.")
    kind: Kind
    market_type: MarketType = Field(
        description="For a `market` only: `weekly`, `pickup` (AMAP or basket pick-up point), `farm_shop` (farm-shop "
        "collective) or `fair` (craft fair, Christmas market); empty otherwise."
    )
    short_description: str
    description: str
    categories: list[str] = Field(description="Category slugs, in the taxonomy's order.")
    street_address: str
    postal_code: str
    commune: str
    insee_code: str
    department: str
    latitude: float | None
    longitude: float | None
    phone: str = Field(description="E.164 (`+33241000000`), or empty.")
    email: str = Field(description="Empty unless the producer chose to show it.")
    website: str
    facebook_url: str
    instagram_url: str
    other_links: list[str]
    opening_hours: str = Field(description="OpenStreetMap opening_hours syntax.")
    delivery_modes: list[str] = Field(description="`code` or `code: details`.", examples=[["on-site", "market: Sa"]])
    currencies: list[str] = Field(description="Local currency slugs.")
    next_date: str = Field(
        description="Markets only: the start of their next date, ISO 8601 in Paris time; empty otherwise.",
        examples=["2026-12-05T08:00:00+01:00"],
    )
    updated_at: str = Field(description="ISO 8601, UTC.")


class ListingPage(Out):
    licence: Licence
    next: str | None = Field(description="The next page's URL; null on the last page.")
    results: list[ListingOut]


class Stand(Out):
    """One end of a producer's stand at a market: the other listing, and the days."""

    slug: str
    name: str
    url: str
    commune: str
    schedule: str = Field(
        description="The producer's days within the market's own hours, OpenStreetMap opening_hours syntax "
        "(`Sa[1,3]`, `Apr-Oct`); empty: every market day."
    )


class ListingDetail(ListingOut):
    licence: Licence
    markets: list[Stand] = Field(description="For a producer: the markets where they have a stand.")
    stands: list[Stand] = Field(description="For a market: the producers who have a stand there.")


class Point(Out):
    type: Literal["Point"]
    coordinates: list[float] = Field(description="Longitude, latitude.")


class ListingFeature(Out):
    type: Literal["Feature"]
    geometry: Point | None
    properties: dict = Field(description="The listing's fields as in /listings, without latitude and longitude.")


class ListingFeatureCollection(Out):
    type: Literal["FeatureCollection"]
    licence: Licence
    next: str | None
    features: list[ListingFeature]


class GoGoCartoAddress(Out):
    streetAddress: str
    postalCode: str
    addressLocality: str
    addressCountry: str


class GoGoCartoGeo(Out):
    latitude: float | None
    longitude: float | None


class GoGoCartoElement(Out):
    id: str
    name: str
    geo: GoGoCartoGeo
    address: GoGoCartoAddress
    categories: list[str]
    description: str
    descriptionMore: str
    telephone: str
    email: str
    website: str
    openHours: str = Field(description="OpenStreetMap opening_hours syntax.")
    sourceKey: str
    url: str
    updatedAt: str


class GoGoCartoPage(Out):
    licence: str = Field(description="The licence's URL, as GoGoCarto's own API gives it.")
    ontology: Literal["gogofull"]
    next: str | None
    data: list[GoGoCartoElement]


class MapCollection(Out):
    type: Literal["FeatureCollection"]
    licence: Licence
    features: list[dict] = Field(
        description="A listing (`id`, its point, `properties`: `name`, `slug`, `categories` as ids of the "
        "`categories` lookup, `hours` as an index of `hours`) or a cluster (its centroid, `properties`: `count`, "
        "`bounds` as west, south, east, north)."
    )
    categories: dict[str, str] = Field(description="Category names by id.")
    hours: list[list] = Field(description="[is open, label] pairs, at the moment of the request.")
    listing_url: str = Field(description="A listing's page, `{slug}` to fill in.")
    clustered: bool
    total: int = Field(description="Listings in the box, counting the clusters'.")


class Department(Out):
    code: str
    name: str
    slug: str
    region: str = Field(description="The region's INSEE code.")
    listing_count: int = Field(description="Published listings.")
    url: str


class DepartmentList(Out):
    licence: Licence
    results: list[Department]


class Commune(Out):
    insee_code: str
    name: str
    slug: str
    department: str
    postal_codes: list[str]
    latitude: float
    longitude: float
    listing_count: int = Field(description="Published listings.")
    url: str


class CommunePage(Out):
    licence: Licence
    next: str | None
    results: list[Commune]


class CommuneParams(Schema):
    department: str | None = Field(None, description="A department code.")
    with_listings: bool = Field(False, description="Only the communes with published listings.")
    cursor: str | None = None
    limit: int = Field(500, ge=1, le=1000)


class Category(Out):
    slug: str
    name: str = Field(description="French.")
    name_en: str
    parent: str | None = Field(description="The parent category's slug.")


class CategoryList(Out):
    licence: Licence
    results: list[Category]


class DeliveryMode(Out):
    code: str
    name: str = Field(description="French.")
    name_en: str


class DeliveryModeList(Out):
    licence: Licence
    results: list[DeliveryMode]


class Currency(Out):
    slug: str
    name: str
    website: str
    area: str
    departments: list[str] = Field(description="Codes of the departments where it circulates.")


class CurrencyList(Out):
    licence: Licence
    results: list[Currency]


class Error(Out):
    detail: str
    errors: dict[str, list[str]] | None = None
    choices: list[dict] | None = Field(None, description="Places the `commune` may mean: `code` and `label`.")
