"""Open data exports: the published set only, what the public page shows, streamed, with the licence."""

import csv
import gzip
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from producers import exports
from producers.models import Listing
from tests.factories import CategoryFactory, ListingFactory, LocalCurrencyFactory, delivery_mode
from tests.responses import body

pytestmark = pytest.mark.django_db


def full_listing(**kwargs):
    """A listing with every public field filled in."""
    defaults = {
        "name": "Fromagerie Bréhéret",
        "kind": Listing.Kind.PRODUCER,
        "short_description": "Chèvres, « bio »",
        "description": "Élevées en plein air.\nTraite à la main; vente à la ferme.",
        "street_address": "12 rue des Lices",
        "phone": "0241000000",
        "email": "contact@example.org",
        "email_public": True,
        "website": "https://fromagerie.example.org/",
        "facebook_url": "https://www.facebook.com/fromagerie",
        "instagram_url": "https://www.instagram.com/fromagerie",
        "other_links": "https://mastodon.example/@fromagerie\nhttps://blog.example.org/",
        "opening_hours": "Mo-Fr 09:00-12:00,14:00-18:30; PH off",
        "latitude": 47.47,
        "longitude": -0.55,
    }
    listing = ListingFactory(**{**defaults, **kwargs})
    listing.categories.set(
        [CategoryFactory(slug="fromages", name="Fromages"), CategoryFactory(slug="lait", name="Lait")]
    )
    listing.deliveries.create(mode=delivery_mode("on-site"))
    listing.deliveries.create(mode=delivery_mode("click-and-collect"), details="Commande la veille | retrait samedi")
    listing.currencies.add(LocalCurrencyFactory())
    return listing


@pytest.fixture
def listings(towns):
    """Published and unpublished listings in Maine-et-Loire and Gironde."""
    return {
        "full": full_listing(),
        "avrille": ListingFactory(name="Boutique d'Avrillé", kind=Listing.Kind.SHOP, commune=towns["avrille"]),
        "bordeaux": ListingFactory(name="Cave de Bordeaux", commune=towns["bordeaux"]),
        "pending": ListingFactory(name="Ferme en attente", status=Listing.Status.PENDING, email="secret@example.org"),
        "unpublished": ListingFactory(name="Ferme retirée", status=Listing.Status.UNPUBLISHED),
        "rejected": ListingFactory(name="Refusée", status=Listing.Status.REJECTED, commune=towns["bordeaux"]),
    }


def department_export_url(department, fmt):
    return reverse("producers:department_export", kwargs={"code": department.code, "slug": department.slug, "fmt": fmt})


def get_csv(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return response, list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def get_geojson(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/geo+json"
    return response, json.loads(b"".join(response.streaming_content))


class TestUrls:
    def test_the_urls_are_the_documented_ones(self, maine_et_loire):
        assert department_export_url(maine_et_loire, "csv") == "/departements/49-maine-et-loire/export.csv"
        assert department_export_url(maine_et_loire, "geojson") == "/departements/49-maine-et-loire/export.geojson"
        assert reverse("producers:france_export", kwargs={"fmt": "csv"}) == "/export/activites.csv"
        assert reverse("producers:france_export", kwargs={"fmt": "geojson"}) == "/export/activites.geojson"

    def test_a_wrong_slug_redirects(self, client, maine_et_loire):
        response = client.get("/departements/49-anjou/export.csv")
        assert response.status_code == 302
        assert response["Location"] == "/departements/49-maine-et-loire/export.csv"

    def test_an_unknown_department_is_a_404(self, client, maine_et_loire):
        assert client.get("/departements/99-nulle-part/export.geojson").status_code == 404

    def test_it_rejects_post(self, client, maine_et_loire):
        assert client.post("/export/activites.csv").status_code == 405

    def test_the_department_page_links_to_its_exports_and_the_licence(self, client, maine_et_loire):
        html = client.get(maine_et_loire.get_absolute_url()).content.decode()
        assert 'href="/departements/49-maine-et-loire/export.csv"' in html
        assert 'href="/departements/49-maine-et-loire/export.geojson"' in html
        assert "Licence Ouverte 2.0" in html
        assert 'href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/"' in html


class TestPublishedOnly:
    @pytest.mark.parametrize("fmt", ["csv", "geojson"])
    def test_the_department_export_is_its_published_set(self, client, listings, maine_et_loire, fmt):
        url = department_export_url(maine_et_loire, fmt)
        if fmt == "csv":
            names = {row["name"] for row in get_csv(client, url)[1]}
        else:
            names = {f["properties"]["name"] for f in get_geojson(client, url)[1]["features"]}
        expected = set(Listing.objects.published().in_department(maine_et_loire).values_list("name", flat=True))
        assert names == expected == {"Fromagerie Bréhéret", "Boutique d'Avrillé"}

    @pytest.mark.parametrize("fmt", ["csv", "geojson"])
    def test_the_france_export_is_the_published_set(self, client, listings, fmt):
        url = reverse("producers:france_export", kwargs={"fmt": fmt})
        if fmt == "csv":
            names = [row["name"] for row in get_csv(client, url)[1]]
        else:
            names = [f["properties"]["name"] for f in get_geojson(client, url)[1]["features"]]
        assert sorted(names) == sorted(Listing.objects.published().values_list("name", flat=True))
        assert len(names) == 3
        for hidden in ["Ferme en attente", "Ferme retirée", "Refusée"]:
            assert hidden not in names

    def test_private_data_never_leaves(self, client, listings):
        for fmt in ["csv", "geojson"]:
            response = client.get(reverse("producers:france_export", kwargs={"fmt": fmt}))
            body = b"".join(response.streaming_content).decode()
            assert "secret@example.org" not in body
            assert "published" not in body and "pending" not in body
            assert "search_title" not in body and "search_body" not in body and "external_id" not in body
            assert f'"{listings["full"].pk}"' not in body


class TestCsv:
    def test_columns_and_values_are_what_the_page_shows(self, client, listings, settings):
        settings.SITE_URL = "https://localdir.example"
        response, rows = get_csv(client, "/export/activites.csv")
        assert list(rows[0].keys()) == exports.COLUMNS
        row = next(r for r in rows if r["name"] == "Fromagerie Bréhéret")
        listing = listings["full"]
        listing.refresh_from_db()
        assert row == {
            "name": "Fromagerie Bréhéret",
            "slug": listing.slug,
            "url": f"https://localdir.example/activites/{listing.slug}/",
            "kind": "producer",
            "market_type": "",
            "short_description": "Chèvres, « bio »",
            "description": "Élevées en plein air.\nTraite à la main; vente à la ferme.",
            "categories": "fromages|lait",
            "street_address": "12 rue des Lices",
            "postal_code": "49000",
            "commune": "Angers",
            "insee_code": "49007",
            "department": "49",
            "latitude": "47.47",
            "longitude": "-0.55",
            # The apostrophe makes spreadsheets show text: "+" starts a formula (and would lose the "+").
            "phone": "'+33241000000",
            "email": "contact@example.org",
            "website": "https://fromagerie.example.org/",
            "facebook_url": "https://www.facebook.com/fromagerie",
            "instagram_url": "https://www.instagram.com/fromagerie",
            "other_links": "https://mastodon.example/@fromagerie|https://blog.example.org/",
            "opening_hours": "Mo-Fr 09:00-12:00,14:00-18:30; PH off",
            "delivery_modes": "on-site|click-and-collect: Commande la veille / retrait samedi",
            "currencies": "la-muse",
            "next_date": "",  # a producer: only markets have dates
            "updated_at": row["updated_at"],
        }
        assert row["updated_at"].endswith("+00:00")

    def test_the_licence_and_date_are_in_the_headers_and_the_filename(self, client, listings, maine_et_loire):
        response, _rows = get_csv(client, department_export_url(maine_et_loire, "csv"))
        assert response["Link"] == (
            '<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>; rel="license"; title="Licence Ouverte 2.0"'
        )
        assert response["Content-Disposition"].startswith('attachment; filename="activites-49-maine-et-loire-20')
        assert response["Content-Disposition"].endswith('.csv"')
        assert response["X-Generated-At"]

    def test_the_licence_follows_the_settings(self, client, listings, settings):
        settings.OPEN_DATA_LICENCE = "ODbL"
        settings.OPEN_DATA_LICENCE_URL = "https://opendatacommons.org/licenses/odbl/"
        response = client.get("/export/activites.geojson")
        assert 'title="ODbL"' in response["Link"]
        assert json.loads(b"".join(response.streaming_content))["licence"]["name"] == "ODbL"

    @pytest.mark.parametrize("url", ["/export/activites.csv", "/departements/49-maine-et-loire/export.geojson"])
    def test_it_is_gzipped_for_clients_that_accept_it(self, client, listings, url):
        # by GZipMiddleware, which compresses streamed responses too: the views need no gzip_page of their own
        compressed = client.get(url, headers={"accept-encoding": "gzip"})
        response = client.get(url)
        assert "Content-Encoding" not in response
        plain = body(response)
        assert "Fromagerie Bréhéret" in plain.decode()
        assert "Accept-Encoding" in compressed["Vary"]
        assert compressed["Content-Encoding"] == "gzip"
        sent = body(compressed)  # streamed: read once
        # The two requests may fall in different seconds: the GeoJSON's generation time is the one difference allowed.
        generated = re.compile(rb'"generated_at": "[^"]*"')
        assert generated.sub(b"", gzip.decompress(sent)) == generated.sub(b"", plain)
        assert len(sent) < len(plain)

    def test_an_email_the_producer_keeps_private_is_not_exported(self, client, towns):
        ListingFactory(name="Discrète", email="moi@example.org", email_public=False)
        ListingFactory(name="Affichée", email="contact@example.org", email_public=True)
        _, rows = get_csv(client, "/export/activites.csv")
        assert {r["name"]: r["email"] for r in rows} == {"Discrète": "", "Affichée": "contact@example.org"}
        _, data = get_geojson(client, "/export/activites.geojson")
        assert "moi@example.org" not in json.dumps(data)


class TestSpreadsheetSafety:
    """Cells a spreadsheet would run as formulas go out as text (OWASP CSV injection)."""

    ATTACKS = ['=HYPERLINK("https://evil.example")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]

    def test_no_cell_starts_a_formula(self, client, towns):
        for attack in self.ATTACKS:
            ListingFactory(name=attack, short_description=attack, street_address=attack, commune=towns["angers"])
        ListingFactory(name="Tabulée", description="\t=1+1", short_description="\r=1+1", commune=towns["angers"])
        _response, rows = get_csv(client, "/export/activites.csv")
        assert len(rows) == len(self.ATTACKS) + 1
        for row in rows:
            for column, cell in row.items():
                if column not in ("latitude", "longitude"):  # numbers, written by us
                    assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (column, cell)
        assert {"'" + attack for attack in self.ATTACKS} <= {row["name"] for row in rows}
        tabbed = next(row for row in rows if row["name"] == "Tabulée")
        assert tabbed["description"] == "'\t=1+1"

    def test_stored_control_characters_do_not_reach_the_file(self, client, towns):
        listing = ListingFactory(
            name="Ferme\x1bdu Lac", short_description="Œufs\x0bet lait\x7f", commune=towns["angers"]
        )
        listing.deliveries.create(mode=delivery_mode("click-and-collect"), details="Samedi\nDimanche")
        _response, [row] = get_csv(client, "/export/activites.csv")
        assert row["name"] == "Ferme du Lac"
        assert row["short_description"] == "Œufs et lait "
        assert row["delivery_modes"] == "click-and-collect: Samedi Dimanche"


class TestGeoJSON:
    def test_it_is_a_feature_collection_with_licence_and_date(self, client, listings):
        _response, data = get_geojson(client, "/export/activites.geojson")
        assert data["type"] == "FeatureCollection"
        assert data["licence"] == {
            "name": "Licence Ouverte 2.0",
            "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        }
        assert data["generated_at"][:2] == "20"
        feature = next(f for f in data["features"] if f["properties"]["name"] == "Fromagerie Bréhéret")
        assert feature["geometry"] == {"type": "Point", "coordinates": [-0.55, 47.47]}
        props = feature["properties"]
        assert set(props) == set(exports.COLUMNS) - {"latitude", "longitude"}
        assert props["categories"] == ["fromages", "lait"]
        assert props["delivery_modes"] == ["on-site", "click-and-collect: Commande la veille / retrait samedi"]
        assert props["other_links"] == ["https://mastodon.example/@fromagerie", "https://blog.example.org/"]
        assert props["currencies"] == ["la-muse"]
        assert props["phone"] == "+33241000000"

    def test_an_empty_export_is_valid(self, client, maine_et_loire):
        _response, data = get_geojson(client, department_export_url(maine_et_loire, "geojson"))
        assert data["features"] == []


class TestStreaming:
    def test_it_reads_in_chunks_with_a_constant_number_of_queries_per_chunk(self, towns, monkeypatch):
        monkeypatch.setattr(exports, "CHUNK_SIZE", 3)
        for _ in range(7):
            ListingFactory(categories=[CategoryFactory()])
        with CaptureQueriesContext(connection) as queries:
            rows = list(exports.records(Listing.objects.published()))
        assert len(rows) == 7
        assert len({row["slug"] for row in rows}) == 7
        # 3 chunks of (listings + categories + currencies + deliveries), then one empty read.
        assert len(queries) == 3 * 4 + 1
