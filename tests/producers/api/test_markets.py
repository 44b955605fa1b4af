"""Markets through the API: their type, and the stands linking producers and markets, public ones only."""

import pytest

from producers.models import Attendance, Listing
from tests.factories import ListingFactory

from .conftest import get_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def stands(towns):
    angers = ListingFactory(name="Marché Lafayette", kind="market", market_type="weekly", commune=towns["angers"])
    amap = ListingFactory(name="AMAP du Lac", kind="market", market_type="pickup", commune=towns["avrille"])
    withdrawn = ListingFactory(name="Marché fermé", kind="market", status=Listing.Status.UNPUBLISHED)
    farm = ListingFactory(name="Ferme des Ardoises", commune=towns["cholet"])
    pending = ListingFactory(name="Ferme en attente", status=Listing.Status.PENDING)
    Attendance.objects.create(producer=farm, market=angers, schedule="Sa[1,3]")
    Attendance.objects.create(producer=farm, market=amap)
    Attendance.objects.create(producer=farm, market=withdrawn)
    Attendance.objects.create(producer=pending, market=angers)
    return {"angers": angers, "amap": amap, "farm": farm}


def test_a_producer_s_markets(client, stands):
    data = get_json(client, f"/api/v1/listings/{stands['farm'].slug}")
    assert data["markets"] == [
        {
            "slug": stands["amap"].slug,
            "name": "AMAP du Lac",
            "url": f"http://127.0.0.1:8000/activites/{stands['amap'].slug}/",
            "commune": "Avrillé",
            "schedule": "",
        },
        {
            "slug": stands["angers"].slug,
            "name": "Marché Lafayette",
            "url": f"http://127.0.0.1:8000/activites/{stands['angers'].slug}/",
            "commune": "Angers",
            "schedule": "Sa[1,3]",
        },
    ]
    assert data["stands"] == []


def test_a_market_s_producers_published_only(client, stands):
    data = get_json(client, f"/api/v1/listings/{stands['angers'].slug}")
    assert data["market_type"] == "weekly"
    assert [stand["name"] for stand in data["stands"]] == ["Ferme des Ardoises"]
    assert data["stands"][0]["schedule"] == "Sa[1,3]"
    assert data["markets"] == []


def test_markets_by_type(client, stands):
    assert [item["name"] for item in get_json(client, "/api/v1/markets")["results"]] == [
        "Marché Lafayette",
        "AMAP du Lac",
    ]
    assert [item["name"] for item in get_json(client, "/api/v1/markets?market_type=pickup")["results"]] == [
        "AMAP du Lac"
    ]
    assert get_json(client, "/api/v1/markets?market_type=castle", status=400)["errors"]["market_type"]


def test_one_listing_costs_the_same_queries_with_more_stands(client, stands, towns):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/api/v1/listings/{stands['angers'].slug}"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        Attendance.objects.create(
            producer=ListingFactory(name=f"Ferme {n}", commune=towns["angers"]), market=stands["angers"]
        )
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()["stands"]) == 6
    assert len(many) == len(few)
