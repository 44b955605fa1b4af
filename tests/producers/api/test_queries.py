"""Each API page costs the same queries whatever the data's size, the page's size or its depth."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from producers import counts
from tests.factories import CategoryFactory, ListingFactory, LocalCurrencyFactory, delivery_mode

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/listings?limit=5",
    "/api/v1/listings?limit=50&department=49&category=fromages",
    "/api/v1/listings.geojson?limit=50",
    "/api/v1/gogocarto?limit=50",
    "/api/v1/markets?limit=50",
    "/api/v1/map?bbox=-5,41,10,51&zoom=16",
    "/api/v1/communes?with_listings=true",
    "/api/v1/currencies",
]


def add_listings(towns, number):
    cheese = CategoryFactory(slug="fromages", name="Fromages")
    for n in range(number):
        listing = ListingFactory(name=f"Ferme {n}", commune=towns["angers"], kind="market" if n % 2 else "producer")
        listing.categories.add(cheese)
        listing.currencies.add(LocalCurrencyFactory())
        listing.deliveries.create(mode=delivery_mode("on-site"))
    counts.recount_all()


def queries(client, url):
    client.get(url)  # the filters' choices and the departments are then cached (producers.reference)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    data = response.json()
    rows = data.get("results") or data.get("features") or data.get("data")
    assert rows, f"{url} returned rows"
    return len(captured), len(rows)


def test_query_counts_do_not_grow_with_the_data(client, towns):
    add_listings(towns, 3)
    small = {url: queries(client, url) for url in URLS}
    add_listings(towns, 60)
    large = {url: queries(client, url) for url in URLS}
    for url in URLS:
        assert large[url][0] == small[url][0], url
    assert large["/api/v1/listings.geojson?limit=50"][1] == 50 > small["/api/v1/listings.geojson?limit=50"][1]


def test_a_deep_page_costs_what_the_first_does(client, towns):
    add_listings(towns, 30)
    first = client.get("/api/v1/listings?limit=10").json()
    with CaptureQueriesContext(connection) as at_first:
        client.get("/api/v1/listings?limit=10")
    with CaptureQueriesContext(connection) as deeper:
        response = client.get(first["next"].removeprefix("http://127.0.0.1:8000"))
    assert len(response.json()["results"]) == 10
    assert len(deeper) == len(at_first) <= 5
