"""The API's contract: the committed OpenAPI schema (docs/api/openapi.json) is what the code generates.

A change that alters what clients read (a field renamed or removed, a parameter or an enum value changed) fails
here first. When the change is deliberate, write the schema again with `make openapi` and say in the commit what
clients must change (docs/partners.en.md, "Changing the API").
"""

import json
from pathlib import Path

import pytest
from ninja.responses import NinjaJSONEncoder

from producers.api import api
from producers.filters import ListingFilter

SCHEMA = Path(__file__).resolve().parents[3] / "docs" / "api" / "openapi.json"


def generated():
    return json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))


def test_the_committed_schema_is_the_code_s():
    committed = json.loads(SCHEMA.read_text())
    assert generated() == committed, (
        "The API changed: if on purpose, run `make openapi` and commit docs/api/openapi.json"
    )


def parameters(path):
    return {parameter["name"] for parameter in generated()["paths"][path]["get"]["parameters"]}


def test_the_lists_take_every_filter_of_the_pages():
    pages = set(ListingFilter.base_filters) | {"commune_code"}
    for path in ("/api/v1/listings", "/api/v1/listings.geojson", "/api/v1/gogocarto", "/api/v1/map"):
        assert pages <= parameters(path), path
    assert parameters("/api/v1/markets") >= pages - {"kind"}


def test_the_schema_lists_every_endpoint():
    assert set(generated()["paths"]) == {
        "/api/v1/listings",
        "/api/v1/listings.geojson",
        "/api/v1/gogocarto",
        "/api/v1/markets",
        "/api/v1/listings/{slug}",
        "/api/v1/listings/{slug}/jsonld",
        "/api/v1/map",
        "/api/v1/departments",
        "/api/v1/communes",
        "/api/v1/categories",
        "/api/v1/delivery-modes",
        "/api/v1/currencies",
    }


def test_the_schema_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["paths"].keys() == generated()["paths"].keys()


@pytest.mark.django_db
def test_answers_written_as_is_match_their_schema(client, listings):
    """The GeoJSON, map and JSON-LD answers bypass ninja's validation (their media type is not JSON's): the models
    the schema documents must still read them."""
    from producers.api import schemas

    geojson = client.get("/api/v1/listings.geojson").json()
    assert schemas.ListingFeatureCollection.model_validate(geojson).features
    area = client.get("/api/v1/map?bbox=-5,41,10,51&zoom=12").json()
    assert schemas.MapCollection.model_validate(area).features
    for feature in geojson["features"]:
        # Each feature's properties are a listing of /listings without its coordinates.
        properties = {**feature["properties"], "latitude": None, "longitude": None}
        assert schemas.ListingOut.model_validate(properties).slug


def test_a_listing_has_the_open_data_columns():
    """A column added to the open-data files (producers.listing_data.COLUMNS) is a field of the API's listings too:
    declare it in schemas.ListingOut, then `make openapi`."""
    from producers.api import schemas
    from producers.listing_data import COLUMNS

    assert list(schemas.ListingOut.model_fields) == COLUMNS


def example_url(path, listings):
    url = path.replace("{slug}", listings["full"].slug)
    return url + ("?bbox=-5,41,10,51&zoom=12" if url.endswith("/map") else "")


@pytest.mark.django_db
def test_each_answer_has_the_media_type_its_schema_says(client, listings):
    """A client generated from the schema picks its parser from the media type: GeoJSON and JSON-LD say theirs."""
    for path, item in generated()["paths"].items():
        [media_type] = item["get"]["responses"]["200"]["content"]
        response = client.get(example_url(path, listings))
        assert response.status_code == 200, path
        assert response["Content-Type"].split(";")[0] == media_type, path
    paths = generated()["paths"]
    assert "application/geo+json" in paths["/api/v1/listings.geojson"]["get"]["responses"]["200"]["content"]
    assert "application/ld+json" in paths["/api/v1/listings/{slug}/jsonld"]["get"]["responses"]["200"]["content"]


def test_every_operation_documents_the_rate_limit():
    schema = generated()
    too_many = schema["components"]["responses"]["TooManyRequests"]
    assert "Retry-After" in too_many["headers"]
    for path, item in schema["paths"].items():
        assert item["get"]["responses"]["429"] == {"$ref": "#/components/responses/TooManyRequests"}, path
        assert set(item) == {"get"}, path  # HEAD is answered (test_http.py), but is no operation of its own
