"""/api/v1/departments, /communes and the taxonomy: what the filters take, with published counts."""

import pytest

from producers import counts
from producers.models import Category, DeliveryMode

from .conftest import get_json

pytestmark = pytest.mark.django_db


def test_departments_with_their_counts(client, listings):
    counts.recount_all()  # counts are stored (signals keep them after each decision)
    data = get_json(client, "/api/v1/departments")
    by_code = {department["code"]: department for department in data["results"]}
    assert list(by_code) == ["33", "49"]
    assert by_code["49"]["name"] == "Maine-et-Loire"
    assert by_code["49"]["url"] == "http://127.0.0.1:8000/departements/49-maine-et-loire/"
    assert by_code["49"]["listing_count"] == 3 and by_code["33"]["listing_count"] == 1
    assert data["licence"]["name"] == "Licence Ouverte 2.0"


def test_communes_page_by_page(client, listings):
    counts.recount_all()
    data = get_json(client, "/api/v1/communes?department=49&limit=2")
    assert [commune["insee_code"] for commune in data["results"]] == ["49007", "49015"]
    angers = data["results"][0]
    assert angers["postal_codes"] == ["49000", "49100"]
    assert angers["url"] == "http://127.0.0.1:8000/communes/49007-angers/"
    following = get_json(client, data["next"].removeprefix("http://127.0.0.1:8000"))
    assert [commune["insee_code"] for commune in following["results"]] == ["49099", "49267"]
    assert following["next"] is None
    with_listings = get_json(client, "/api/v1/communes?with_listings=true")
    assert [commune["insee_code"] for commune in with_listings["results"]] == ["33063", "49007", "49015", "49099"]
    assert get_json(client, "/api/v1/communes?department=xx", status=400)["errors"]["department"]


def test_the_taxonomy(client, listings):
    categories = get_json(client, "/api/v1/categories")["results"]
    assert [category["slug"] for category in categories] == list(Category.objects.values_list("slug", flat=True))
    assert {"slug": "fromages", "name": "Fromages", "name_en": "", "parent": None} in categories
    modes = get_json(client, "/api/v1/delivery-modes")["results"]
    assert [mode["code"] for mode in modes] == list(DeliveryMode.objects.values_list("code", flat=True))
    assert modes[0] == {"code": "on-site", "name": "Vente sur place", "name_en": "Sale on site"}
    currencies = get_json(client, "/api/v1/currencies")["results"]
    assert [currency["slug"] for currency in currencies] == ["la-muse"]
