"""What search engines read: JSON-LD, Open Graph, canonical links, sitemap.xml and robots.txt."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from producers import seo
from producers.models import Listing
from tests.factories import ListingFactory
from tests.producers.test_exports import full_listing

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://localdir.example"
    cache.clear()  # the sitemap views are cached
    yield
    cache.clear()


def json_ld(html):
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert len(scripts) == 1, scripts
    return json.loads(scripts[0])


class TestListingJsonLd:
    def test_it_describes_the_listing(self, client, towns):
        listing = full_listing()
        data = json_ld(client.get(listing.get_absolute_url()).content.decode())
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "LocalBusiness"
        assert data["name"] == "Fromagerie Bréhéret"
        assert data["url"] == f"https://localdir.example/activites/{listing.slug}/"
        assert data["address"] == {
            "@type": "PostalAddress",
            "streetAddress": "12 rue des Lices",
            "postalCode": "49000",
            "addressLocality": "Angers",
            "addressCountry": "FR",
        }
        assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 47.47, "longitude": -0.55}
        assert data["telephone"] == "+33241000000"
        assert data["sameAs"] == [
            "https://fromagerie.example.org/",
            "https://www.facebook.com/fromagerie",
            "https://www.instagram.com/fromagerie",
            "https://mastodon.example/@fromagerie",
            "https://blog.example.org/",
        ]
        weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
        assert data["openingHoursSpecification"] == [
            {"@type": "OpeningHoursSpecification", "dayOfWeek": weekdays, "opens": "09:00", "closes": "12:00"},
            {"@type": "OpeningHoursSpecification", "dayOfWeek": weekdays, "opens": "14:00", "closes": "18:30"},
        ]

    def test_a_shop_is_a_store(self, client, towns):
        listing = ListingFactory(kind=Listing.Kind.SHOP, opening_hours="")
        data = json_ld(client.get(listing.get_absolute_url()).content.decode())
        assert data["@type"] == "Store"
        assert "openingHoursSpecification" not in data and "telephone" not in data

    def test_hours_per_day_and_to_midnight(self):
        spec = seo.opening_hours_specification("Mo 08:00-12:00; Sa 18:00-24:00; Su off")
        assert spec == [
            {"@type": "OpeningHoursSpecification", "dayOfWeek": ["Monday"], "opens": "08:00", "closes": "12:00"},
            {"@type": "OpeningHoursSpecification", "dayOfWeek": ["Saturday"], "opens": "18:00", "closes": "23:59"},
        ]
        assert seo.opening_hours_specification("Jun-Aug Mo-Fr 09:00-12:00") == []  # seasonal: not weekly
        assert seo.opening_hours_specification("") == []

    def test_a_malicious_name_cannot_leave_the_script(self, client, towns):
        name = '</script><script>alert("x")</script><!--'
        listing = ListingFactory(name=name, short_description="a & b < c")
        html = client.get(listing.get_absolute_url()).content.decode()
        assert "<script>alert" not in html
        data = json_ld(html)
        assert data["name"] == name
        assert data["description"] == "a & b < c"


class TestMetaTags:
    def test_listing_page_has_canonical_and_open_graph(self, client, towns):
        listing = ListingFactory(name="Ferme « du Chêne »", short_description="Légumes")
        listing.photos.create(image=SimpleUploadedFile("p.jpg", b"x"), alt_text="Les serres")
        html = client.get(listing.get_absolute_url()).content.decode()
        url = f"https://localdir.example/activites/{listing.slug}/"
        assert f'<link rel="canonical" href="{url}">' in html
        assert f'<meta property="og:url" content="{url}">' in html
        assert '<meta property="og:title" content="Ferme « du Chêne » · Angers">' in html
        assert '<meta property="og:description" content="Légumes">' in html
        assert re.search(
            r'<meta property="og:image" content="https://localdir\.example/media/producers/[^"]+\.jpg">', html
        )

    def test_department_page_has_canonical_and_open_graph(self, client, maine_et_loire):
        html = client.get(maine_et_loire.get_absolute_url(), {"kind": "shop"}).content.decode()
        url = "https://localdir.example/departements/49-maine-et-loire/"
        assert f'<link rel="canonical" href="{url}">' in html
        assert f'<meta property="og:url" content="{url}">' in html
        assert '<link rel="alternate" type="text/csv" href="/departements/49-maine-et-loire/export.csv">' in html


class TestSitemap:
    def urls(self, client, path):
        response = client.get(path)
        assert response.status_code == 200
        return [loc.text for loc in ET.fromstring(response.content).iterfind(".//sm:loc", SITEMAP_NS)]

    def test_the_index_lists_the_sections(self, client, towns):
        sections = self.urls(client, "/sitemap.xml")
        for section in ["activites", "departements", "communes"]:
            assert f"https://localdir.example/sitemap-{section}.xml" in sections

    def test_only_public_pages_are_listed(self, client, towns):
        published = ListingFactory(name="Publiée", commune=towns["avrille"])
        pending = ListingFactory(name="En attente", status=Listing.Status.PENDING, commune=towns["cholet"])
        ListingFactory(name="Retirée", status=Listing.Status.UNPUBLISHED, commune=towns["cholet"])
        urls = []
        for section in ["activites", "departements", "communes"]:
            urls += self.urls(client, f"/sitemap-{section}.xml")
        assert f"https://localdir.example{published.get_absolute_url()}" in urls
        assert f"https://localdir.example{pending.get_absolute_url()}" not in urls
        assert "https://localdir.example/departements/49-maine-et-loire/" in urls
        assert "https://localdir.example/communes/49015-avrille/" in urls
        assert "https://localdir.example/communes/49099-cholet/" not in urls  # no published listing there
        assert not any("/admin/" in url for url in urls)
        assert len([url for url in urls if "/activites/" in url]) == 1

    def test_an_unknown_section_is_a_404(self, client, db):
        assert client.get("/sitemap-nope.xml").status_code == 404


def test_robots_txt_allows_all_but_the_admin_and_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: https://localdir.example/sitemap.xml" in lines
    assert "Disallow: /" not in lines


def test_robots_txt_keeps_crawlers_off_the_listing_pages_reached_from_a_list(client, db):
    # A filtered list's cards (and any list's after its first page) link to ?depuis=…: the same page as the plain
    # address its canonical link names, which the sitemap lists. Not rel="nofollow" on those links: they are our own.
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /*?depuis=" in lines
    assert "Disallow: /*&depuis=" in lines
