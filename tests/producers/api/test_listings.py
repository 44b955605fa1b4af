"""/api/v1/listings and its formats: the published listings only, the open-data fields, the pages' filters."""

import json

import pytest

from producers import exports
from producers.filters import ListingFilter
from producers.models import Listing
from tests.factories import ListingFactory

from .conftest import get_json

pytestmark = pytest.mark.django_db


def slugs(data):
    return [item["slug"] for item in data["results"]]


def test_it_lists_the_published_listings_only_with_the_open_data_fields(client, listings):
    data = get_json(client, "/api/v1/listings")
    published = Listing.objects.published().order_by("pk")
    assert slugs(data) == [listing.slug for listing in published]
    assert "ferme-en-attente" not in json.dumps(data) and "Ferme retirée" not in json.dumps(data)
    full = data["results"][0]
    assert full == exports.records_of(exports.rows(published.filter(pk=listings["full"].pk)))[0]
    assert full["name"] == "Fromagerie Bréhéret"
    assert full["categories"] == ["fromages", "lait"]
    assert full["phone"] == "+33241000000"
    assert full["url"].endswith("/activites/fromagerie-breheret-angers/")
    assert data["licence"] == {"name": "Licence Ouverte 2.0", "url": exports.licence()["url"]}
    assert data["next"] is None


def test_a_private_email_stays_private(client, listings):
    assert listings["full"].email == "contact@example.org"
    for url in ("/api/v1/listings", "/api/v1/listings.geojson", "/api/v1/gogocarto", "/api/v1/listings?q=fromagerie"):
        assert "contact@example.org" not in client.get(url).content.decode()
    assert get_json(client, f"/api/v1/listings/{listings['full'].slug}")["email"] == ""
    Listing.objects.filter(pk=listings["full"].pk).update(email_public=True)
    assert get_json(client, f"/api/v1/listings/{listings['full'].slug}")["email"] == "contact@example.org"


@pytest.mark.parametrize(
    "query",
    [
        "commune=Angers&distance=10",
        "commune=Avrillé",
        "kind=shop",
        "category=fromages",
        "delivery=click-and-collect",
        "currency=la-muse",
        "q=fromagerie",
        "department=33",
        "department=49&kind=producer",
    ],
)
def test_filters_keep_what_the_pages_keep(client, listings, query):
    data = get_json(client, f"/api/v1/listings?{query}")
    params = dict(pair.split("=") for pair in query.split("&"))
    queryset = Listing.objects.published()
    department = None
    if code := params.pop("department", None):
        department = listings["full"].department if code == "49" else listings["bordeaux"].department
        queryset = queryset.in_department(department)
    expected = ListingFilter(params, queryset=queryset, department=department).qs
    assert expected, "the filter keeps something"
    assert sorted(slugs(data)) == sorted(listing.slug for listing in expected)
    assert len(slugs(data)) < Listing.objects.published().count()


def test_open_now_reads_the_hours(client, listings, clock):
    # Sunday 1 March 2026, 10:00 in Paris: the factory's listings open on weekdays only.
    Listing.objects.filter(pk=listings["avrille"].pk).update(opening_hours="Su 09:00-12:00")
    Listing.objects.get(pk=listings["avrille"].pk).refresh_opening_slots()
    assert slugs(get_json(client, "/api/v1/listings?open_now=true")) == [listings["avrille"].slug]
    assert len(slugs(get_json(client, "/api/v1/listings?open_now=false"))) == 4


def test_pages_follow_the_cursor_in_a_stable_order(client, towns):
    created = [ListingFactory(name=f"Ferme {n:02}", commune=towns["angers"]) for n in range(7)]
    seen, url, pages = [], "/api/v1/listings?limit=3&department=49", 0
    while url:
        data = get_json(client, url.removeprefix("http://127.0.0.1:8000"))
        seen += slugs(data)
        url, pages = data["next"], pages + 1
        if pages == 1:
            # Published while a client walks the pages: it comes at the end, nothing is seen twice or skipped.
            created.append(ListingFactory(name="Arrivée", commune=towns["angers"]))
        assert pages <= 3
    assert seen == [listing.slug for listing in created]
    assert "cursor=" in get_json(client, "/api/v1/listings?limit=1")["next"]


def test_bad_parameters_are_refused_with_the_parameter_named(client, listings, towns):
    from tests.factories import CommuneFactory

    CommuneFactory(insee_code="85001", name="Avrillé", postal_codes="85440", department=towns["cholet"].department)
    for query, field in [
        ("category=nope", "category"),
        ("kind=castle", "kind"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("distance=7&commune=Angers", "distance"),
        ("cursor=@@@", "cursor"),
        ("cursor=YWJj", "cursor"),  # "abc": not a key
        ("department=00", "department"),
        ("commune=Zzyzx", "commune"),
    ]:
        data = get_json(client, f"/api/v1/listings?{query}", status=400)
        assert field in data["errors"], (query, data)
        assert data["detail"]


def test_a_town_of_several_places_asks_which(client, listings, towns):
    from tests.factories import CommuneFactory

    other = CommuneFactory(insee_code="49999", name="Avrillé", postal_codes="49999", population=10)
    data = get_json(client, "/api/v1/listings?commune=Avrillé", status=400)
    assert {choice["code"] for choice in data["choices"]} >= {"49015", other.insee_code}
    picked = get_json(client, "/api/v1/listings?commune=Avrillé&commune_code=49015")
    assert slugs(picked) == [listings["avrille"].slug]


def test_markets_are_the_listings_of_kind_market(client, listings):
    data = get_json(client, "/api/v1/markets")
    assert slugs(data) == [listings["market"].slug]
    assert slugs(get_json(client, "/api/v1/markets?department=33")) == []


def test_one_listing(client, listings):
    data = get_json(client, f"/api/v1/listings/{listings['full'].slug}")
    assert data["name"] == "Fromagerie Bréhéret"
    assert data["delivery_modes"] == ["on-site", "click-and-collect: Commande la veille / retrait samedi"]
    assert data["licence"]["name"] == "Licence Ouverte 2.0"
    for hidden in ("pending", "unpublished"):
        assert client.get(f"/api/v1/listings/{listings[hidden].slug}").status_code == 404


def test_geojson_features_are_the_export_s(client, listings):
    response = client.get("/api/v1/listings.geojson?kind=producer&department=49")
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection" and data["licence"]["name"] == "Licence Ouverte 2.0"
    (feature,) = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-0.55, 47.47]}
    assert feature["properties"]["slug"] == listings["full"].slug
    assert "latitude" not in feature["properties"]


def test_gogocarto_elements(client, listings):
    data = get_json(client, "/api/v1/gogocarto?category=fromages")
    assert data["ontology"] == "gogofull" and data["licence"] == exports.licence()["url"]
    (element,) = data["data"]
    assert element["id"] == listings["full"].slug
    assert element["geo"] == {"latitude": 47.47, "longitude": -0.55}
    assert element["address"] == {
        "streetAddress": "12 rue des Lices",
        "postalCode": "49000",
        "addressLocality": "Angers",
        "addressCountry": "FR",
    }
    assert element["categories"] == ["fromages", "lait"]
    assert element["email"] == ""  # private


def test_json_ld_is_the_page_s(client, listings):
    from producers.seo import listing_json_ld

    response = client.get(f"/api/v1/listings/{listings['full'].slug}/jsonld")
    assert response["Content-Type"] == "application/ld+json"
    assert 'rel="license"' in response["Link"]
    data = json.loads(response.content)
    assert data == json.loads(json.dumps(listing_json_ld(Listing.objects.get(pk=listings["full"].pk))))
    assert data["@type"] == "LocalBusiness" and data["name"] == "Fromagerie Bréhéret"
    assert "email" not in data
    assert client.get(f"/api/v1/listings/{listings['pending'].slug}/jsonld").status_code == 404


def test_the_map_s_visible_area(client, listings):
    data = get_json(client, "/api/v1/map?bbox=-1.2,46.9,0,47.7&zoom=16")
    names = {feature["properties"]["name"] for feature in data["features"]}
    assert names == {"Fromagerie Bréhéret", "Boutique d'Avrillé", "Marché de Cholet"}
    assert data["licence"]["name"] == "Licence Ouverte 2.0"
    assert data["listing_url"] == "http://127.0.0.1:8000/activites/{slug}/"
    filtered = get_json(client, "/api/v1/map?bbox=-1.2,46.9,0,47.7&zoom=16&kind=market")
    assert [feature["properties"]["name"] for feature in filtered["features"]] == ["Marché de Cholet"]
    assert get_json(client, "/api/v1/map?bbox=1,2,3", status=400)["errors"]["bbox"]
    assert get_json(client, "/api/v1/map?zoom=30", status=400)["errors"]["zoom"]


def test_the_map_clusters_many_listings(client, towns, settings):
    from producers import maps

    for n in range(maps.CLUSTER_ABOVE + 1):
        ListingFactory(name=f"Ferme {n}", commune=towns["angers"], latitude=47.4 + n / 10000, longitude=-0.55)
    data = get_json(client, "/api/v1/map?bbox=-5,41,10,51&zoom=6")
    assert data["clustered"] is True and data["total"] == maps.CLUSTER_ABOVE + 1
    assert sum(feature["properties"].get("count", 1) for feature in data["features"]) == data["total"]


def test_a_circle_is_paged_in_key_order_from_its_ids(client, listings):
    """A town and a distance choose each page's ids first, then read their rows (exports.rows(ids_first=True)):
    following `next` one listing at a time gives every listing of the circle once, in key order."""
    circle = ListingFilter({"commune": "Angers", "distance": "10"}, queryset=Listing.objects.published()).qs
    expected = [listing.slug for listing in circle.order_by("pk")]
    found, url = [], "/api/v1/listings?commune=Angers&distance=10&limit=1"
    while url:
        data = get_json(client, url)
        assert len(slugs(data)) == 1
        found += slugs(data)
        url = data["next"]
    assert len(expected) > 1
    assert found == expected
