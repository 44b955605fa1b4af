"""Public pages: what a shopper sees, what never shows, and a constant number of queries."""

import datetime
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from producers.models import Listing
from tests.factories import CategoryFactory, ListingFactory, LocalCurrencyFactory, delivery_mode
from tests.producers.map_data import popups
from tests.responses import gunzipped

pytestmark = pytest.mark.django_db

TUESDAY_10H = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def department_url(department):
    return department.get_absolute_url()


def geojson(client, department, query=""):
    url = reverse("producers:department_geojson", kwargs={"code": department.code, "slug": department.slug})
    response = client.get(url + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


class TestHome:
    def test_it_lists_departments_with_their_published_counts(
        self, client, towns, maine_et_loire, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):  # counts are stored once the listings are
            ListingFactory.create_batch(2)
            ListingFactory(status=Listing.Status.PENDING)
        response = client.get("/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Maine-et-Loire" in html
        assert "2 activités" in html  # French by default

    def test_search_by_town_goes_to_its_department_page_nearby(self, client, towns):
        response = client.get(reverse("producers:search"), {"commune": "st barthelemy"})
        assert response.status_code == 302
        assert response["Location"] == (
            "/departements/49-maine-et-loire/?commune=Saint-Barth%C3%A9lemy-d%27Anjou+%2849%29&distance=10"
        )

    def test_search_by_postal_code(self, client, towns):
        response = client.get(reverse("producers:search"), {"commune": "33000"})
        assert response["Location"] == "/departements/33-gironde/?commune=Bordeaux+%2833%29&distance=10"

    def test_an_unknown_town_says_so(self, client, towns):
        response = client.get(reverse("producers:search"), {"commune": "Atlantide"})
        assert response.status_code == 404
        assert "Atlantide" in response.content.decode()

    def test_english_is_selectable(self, client, towns, maine_et_loire):
        html = client.get(maine_et_loire.get_absolute_url(), {"kind": "shop"}).content.decode()
        assert 'href="/en/departements/49-maine-et-loire/?kind=shop" hreflang="en"' in html
        html = client.get("/en/departements/49-maine-et-loire/?kind=shop").content.decode()
        assert '<html lang="en">' in html
        assert "Local producers, artisans and shops in Maine-et-Loire" in html
        assert 'href="/departements/49-maine-et-loire/?kind=shop" hreflang="fr"' in html
        # Links stay in the chosen language.
        assert 'href="/en/"' in html


class TestDepartmentPage:
    def test_it_shows_published_listings_only(self, client, towns, maine_et_loire):
        ListingFactory(name="Ferme publiée")
        ListingFactory(name="Ferme en attente", status=Listing.Status.PENDING)
        ListingFactory(name="Ferme retirée", status=Listing.Status.UNPUBLISHED)
        ListingFactory(name="Bordeaux", commune=towns["bordeaux"])
        html = client.get(department_url(maine_et_loire)).content.decode()
        assert "Ferme publiée" in html
        assert "Ferme en attente" not in html
        assert "Ferme retirée" not in html
        assert "Bordeaux" not in html
        assert 'data-geojson-url="/departements/49-maine-et-loire/carte.geojson"' in html

    def test_a_wrong_slug_redirects_to_the_canonical_url(self, client, maine_et_loire):
        response = client.get("/departements/49-anjou/?kind=shop")
        assert response.status_code == 301
        assert response["Location"] == "/departements/49-maine-et-loire/?kind=shop"

    def test_an_unknown_department_is_a_404_in_the_site_style(self, client, maine_et_loire):
        response = client.get("/departements/99-nulle-part/")
        assert response.status_code == 404

    def test_corsica_codes_route(self, client, db):
        from tests.factories import DepartmentFactory

        corse = DepartmentFactory(code="2A", name="Corse-du-Sud")
        assert corse.get_absolute_url() == "/departements/2A-corse-du-sud/"
        assert client.get("/departements/2a-corse-du-sud/").status_code == 200

    def test_filters_are_in_the_url_and_the_form_keeps_them(self, client, towns, maine_et_loire):
        ListingFactory(name="Boutique", kind=Listing.Kind.SHOP, commune=towns["avrille"])
        ListingFactory(name="Ferme", commune=towns["cholet"])
        response = client.get(department_url(maine_et_loire), {"commune": "Angers", "distance": "10", "kind": "shop"})
        html = response.content.decode()
        assert ">Boutique</a>" in html and ">Ferme</a>" not in html
        assert 'value="Angers"' in html
        assert '<option value="10" selected>' in html

    def test_an_empty_result_offers_to_widen_the_distance(self, client, towns, maine_et_loire):
        ListingFactory(name="Ferme de Cholet", commune=towns["cholet"])
        html = client.get(department_url(maine_et_loire), {"commune": "angers", "distance": "20"}).content.decode()
        assert "Aucune activité ne correspond" in html
        assert "commune=angers&amp;distance=50" in html

    def test_an_unknown_town_is_explained_next_to_the_field(self, client, towns, maine_et_loire):
        ListingFactory()
        html = client.get(department_url(maine_et_loire), {"commune": "Atlantide", "kind": "shop"}).content.decode()
        assert 'aria-invalid="true"' in html
        assert "Nous n’avons pas trouvé cette commune" in html
        assert '<option value="shop" selected>' in html

    def test_bad_parameters_never_crash(self, client, towns, maine_et_loire):
        for query in [
            {"distance": "abc"},
            {"category": "nope"},
            {"page": "999"},
            {"page": "-1"},
            {"open_now": "maybe"},
            {"commune": "x" * 500},
            {"q": "%' OR 1=1 --"},
        ]:
            assert client.get(department_url(maine_et_loire), query).status_code == 200, query
            assert client.get(department_url(maine_et_loire) + "carte.geojson", query).status_code == 200, query

    def test_it_paginates(self, client, towns, maine_et_loire, settings):
        settings.LISTINGS_PER_PAGE = 5
        ListingFactory.create_batch(12)
        html = client.get(department_url(maine_et_loire), {"page": 3}).content.decode()
        assert "Page 3 sur 3" in html
        assert html.count('class="card"') == 2


class TestQueryCounts:
    """Pages and the GeoJSON run the same number of queries whatever the number of listings.

    Each test also checks that both sizes show rows, and more of them in the larger: a count taken over an empty
    result proves nothing.
    """

    @pytest.fixture(autouse=True)
    def _tuesday_morning(self, monkeypatch):
        # "Open now" depends on the clock: at this moment every listing built below is open.
        monkeypatch.setattr("django.utils.timezone.now", lambda: TUESDAY_10H)

    def build(self, towns, n):
        # Fixed slugs: the filtered query names one, and the second build reuses the first's categories.
        categories = [CategoryFactory(slug="legumes", name="Légumes"), CategoryFactory(slug="fruits", name="Fruits")]
        muse = LocalCurrencyFactory()
        for i in range(n):
            listing = ListingFactory(commune=towns["avrille" if i % 2 else "angers"], categories=categories)
            listing.deliveries.create(mode=delivery_mode("on-site"))
            listing.currencies.add(muse)

    def get(self, client, url, data=None):
        """(number of queries, response)"""
        cache.clear()  # nothing cached: the filters' choices and the Mag's widgets are queried too
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, data or {})
        assert response.status_code == 200
        return len(queries), response

    def count(self, client, url, data=None):
        return self.get(client, url, data)[0]

    def measure(self, client, department, query):
        """(queries of the page, queries of the map), (cards in the list, features on the map)"""
        url = department_url(department)
        page_queries, page = self.get(client, url, query)
        map_queries, data = self.get(client, url + "carte.geojson", query)
        features = json.loads(data.content)["features"]
        return (page_queries, map_queries), (page.content.decode().count('class="card"'), len(features))

    @pytest.mark.parametrize(
        "query", [{}, {"commune": "angers", "distance": "20", "category": "legumes", "open_now": "on"}]
    )
    def test_department_page_and_geojson(self, client, towns, maine_et_loire, settings, query):
        settings.LISTINGS_PER_PAGE = 20
        self.build(towns, 3)
        self.measure(client, maine_et_loire, query)  # builds this process's index of place names once
        small_queries, small_rows = self.measure(client, maine_et_loire, query)
        self.build(towns, 30)
        large_queries, large_rows = self.measure(client, maine_et_loire, query)
        assert small_rows == (3, 3)
        assert large_rows == (20, 33)  # the list is paginated, the map is not
        assert small_queries == large_queries

    def test_listing_page(self, client, towns):
        self.build(towns, 1)
        listing = Listing.objects.get()
        small, response = self.get(client, listing.get_absolute_url())
        small_tags = response.content.decode().count('class="tag"')
        for category in [CategoryFactory() for _ in range(5)]:
            listing.categories.add(category)
        listing.deliveries.create(mode=delivery_mode("markets"))
        large, response = self.get(client, listing.get_absolute_url())
        assert (small_tags, response.content.decode().count('class="tag"')) == (2, 7)
        assert large == small

    def test_home(self, client, towns, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):  # the counts are stored once listings are
            self.build(towns, 2)
        small, response = self.get(client, "/")
        assert "2 activités" in response.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            self.build(towns, 20)
        large, response = self.get(client, "/")
        assert "22 activités" in response.content.decode()
        assert large == small


# What no card shows, and what costs most to read: the descriptions, the search stems, the contact details (the
# phone number is parsed on load).
NOT_ON_CARDS = ("description", "search_title", "search_body", "other_links", "phone", "email", "street_address")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/departements/49-maine-et-loire/",
        "/departements/49-maine-et-loire/?commune=angers&distance=20&category=legumes",
        "/carte/",
    ],
)
def test_lists_read_only_what_their_cards_show(client, towns, url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            ListingFactory(
                commune=towns["angers"],
                categories=[CategoryFactory(slug=f"legumes-{i}") if i else CategoryFactory(slug="legumes")],
                description="Une longue description",
                phone="0241000000",
            )
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.content.decode().count('class="card"') >= 1
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert [column for column in NOT_ON_CARDS if re.search(rf'"producers_listing"\."{column}"', read)] == []


class TestGeoJSON:
    def test_it_has_a_feature_per_published_listing_with_what_the_popup_shows(self, client, towns, maine_et_loire):
        veg = CategoryFactory(name="Légumes")
        ListingFactory(name="Ferme du Chêne", categories=[veg], commune=towns["avrille"], opening_hours="")
        ListingFactory(name="En attente", status=Listing.Status.PENDING)
        data = geojson(client, maine_et_loire)
        assert data["type"] == "FeatureCollection"
        [feature] = data["features"]
        assert feature["geometry"] == {"type": "Point", "coordinates": [-0.5889, 47.5069]}
        assert popups(data) == {
            "Ferme du Chêne": {
                "url": Listing.objects.get(name="Ferme du Chêne").get_absolute_url(),
                "categories": "Légumes",
                "is_open": None,
                "open_label": "",
            }
        }

    def test_it_applies_the_same_filters_as_the_list(self, client, towns, maine_et_loire):
        ListingFactory(name="Près", commune=towns["avrille"])
        ListingFactory(name="Loin", commune=towns["cholet"])
        data = geojson(client, maine_et_loire, "?commune=Angers&distance=10")
        assert [f["properties"]["name"] for f in data["features"]] == ["Près"]

    def test_it_is_gzipped_for_clients_that_accept_it(self, client, towns, maine_et_loire):
        ListingFactory.create_batch(20)
        url = department_url(maine_et_loire) + "carte.geojson"
        compressed = client.get(url, headers={"accept-encoding": "gzip"})
        plain = client.get(url)
        assert "Content-Encoding" not in plain
        assert len(json.loads(gunzipped(compressed))["features"]) == 20
        assert gunzipped(compressed) == plain.content
        assert len(compressed.content) < len(plain.content)


class TestListingPage:
    def test_it_shows_every_field(self, client, towns):
        listing = ListingFactory(
            name="Fromagerie Bréhéret",
            description="Chèvres élevées en plein air.",
            street_address="12 rue des Lices",
            phone="0241000000",
            email="contact@example.org",
            email_public=True,
            website="https://fromagerie.example.org/",
            facebook_url="https://www.facebook.com/fromagerie",
            instagram_url="https://www.instagram.com/fromagerie",
            other_links="https://mastodon.example/@fromagerie",
            opening_hours="Mo-Fr 09:00-12:00,14:00-18:30; PH off",
            confirmed_at=datetime.datetime(2026, 3, 3, 23, 30, tzinfo=datetime.UTC),
        )
        listing.categories.add(CategoryFactory(name="Fromages"))
        listing.deliveries.create(mode=delivery_mode("click-and-collect"), details="Commande la veille")
        listing.currencies.add(LocalCurrencyFactory())
        html = client.get(listing.get_absolute_url()).content.decode()
        for expected in [
            "<h1>Fromagerie Bréhéret</h1>",
            "Chèvres élevées en plein air.",
            "12 rue des Lices",
            "49000 Angers",
            'href="tel:+33241000000"',
            "02 41 00 00 00",
            'href="mailto:contact@example.org"',
            "https://fromagerie.example.org/",
            "https://www.facebook.com/fromagerie",
            "https://www.instagram.com/fromagerie",
            "https://mastodon.example/@fromagerie",
            "Fromages",
            "Commande la veille",
            "La Muse",
            "lundi au vendredi",
            'data-lat="47.471100" data-lon="-0.551800" data-name="Fromagerie Bréhéret"',
            '<a href="https://www.openstreetmap.org/?mlat=47.471100&amp;mlon=-0.551800#map=16/47.471100/-0.551800"',
            '<li><a href="/departements/49-maine-et-loire/">Maine-et-Loire</a></li>'
            '<li><a href="/communes/49007-angers/">Angers</a></li><li aria-current="page">Fromagerie Bréhéret</li>',
            "<title>Fromagerie Bréhéret · Angers · localdir</title>",
            '<link rel="canonical" href="http://127.0.0.1:8000/activites/fromagerie-breheret-angers/">',
            '<meta property="og:url" content="http://127.0.0.1:8000/activites/fromagerie-breheret-angers/">',
            '<meta property="og:description" content="Légumes de saison">',
            "<p>Informations vérifiées le 4 mars 2026.</p>",  # checked at 00:30 in Paris
            '<a href="/activites/fromagerie-breheret-angers/signaler/" rel="nofollow">',
        ]:
            assert expected in html, expected

    def test_a_listing_never_confirmed_says_when_it_was_updated(self, client, towns):
        listing = ListingFactory(name="Ferme Lemoine", short_description="")
        updated = datetime.datetime(2026, 5, 31, 22, 15, tzinfo=datetime.UTC)
        Listing.objects.filter(pk=listing.pk).update(confirmed_at=None, updated_at=updated)
        html = client.get(listing.get_absolute_url()).content.decode()
        assert "<p>Dernière mise à jour le 1 juin 2026.</p>" in html  # 00:15 in Paris
        assert '<meta property="og:description" content="Ferme Lemoine">' in html  # the name, without a summary
        english = client.get(f"/en{listing.get_absolute_url()}").content.decode()
        assert "<p>Last updated on June 1, 2026.</p>" in english

    def test_a_listing_without_a_phone_number_has_no_phone_link(self, client, towns):
        html = client.get(ListingFactory(name="Ferme sans téléphone", phone="").get_absolute_url()).content.decode()
        assert "<h1>Ferme sans téléphone</h1>" in html
        assert "tel:" not in html

    def test_new_opening_hours_show_on_the_next_page(self, client, towns):
        listing = ListingFactory(opening_hours="Mo-Fr 09:00-12:00")
        assert "9 h – 12 h" in client.get(listing.get_absolute_url()).content.decode()
        listing.opening_hours = "Mo-Fr 14:00-18:00"
        listing.save()
        html = client.get(listing.get_absolute_url()).content.decode()
        assert "14 h – 18 h" in html
        assert "9 h – 12 h" not in html

    def test_an_email_kept_private_is_not_shown(self, client, towns):
        listing = ListingFactory(name="Ferme discrète", email="moi@example.org", email_public=False)
        html = client.get(listing.get_absolute_url()).content.decode()
        assert "<h1>Ferme discrète</h1>" in html
        assert "moi@example.org" not in html  # neither as a link nor in the JSON-LD

    @pytest.mark.parametrize("status", ["pending", "unpublished", "rejected"])
    def test_an_unpublished_listing_is_a_404(self, client, towns, status):
        listing = ListingFactory(status=status)
        assert client.get(listing.get_absolute_url()).status_code == 404


class TestCommunePage:
    def test_it_shows_listings_around_the_town(self, client, towns):
        ListingFactory(name="À Avrillé", commune=towns["avrille"])
        ListingFactory(name="À Cholet", commune=towns["cholet"])
        html = client.get(towns["angers"].get_absolute_url()).content.decode()
        assert "À Avrillé" in html and "À Cholet" not in html
        assert 'data-geojson-url="/communes/49007-angers/carte.geojson"' in html

    def test_a_town_under_its_old_name_redirects_with_its_search(self, client, towns):
        # Renamed or merged on 1 January: the code stays, the old address (and what it searched) still works.
        response = client.get("/communes/49007-ancien-nom/?distance=20&kind=shop")
        assert response.status_code == 301
        assert response["Location"] == "/communes/49007-angers/?distance=20&kind=shop"


class TestAutocomplete:
    def test_it_suggests_communes_by_name_or_postal_code(self, client, towns):
        data = client.get(reverse("producers:commune_autocomplete"), {"q": "st barth"}).json()
        assert [r["insee_code"] for r in data["results"]] == ["49267"]
        data = client.get(reverse("producers:commune_autocomplete"), {"q": "49"}).json()
        assert data["results"][0]["name"] == "Angers"  # the most populated first
        assert client.get(reverse("producers:commune_autocomplete")).json() == {"results": []}


class TestLanguage:
    def test_french_whatever_the_browser_asks(self, client, towns):
        html = client.get("/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
        assert '<html lang="fr">' in html

    def test_an_unknown_language_cookie_falls_back_to_french(self, client, towns):
        client.cookies["django_language"] = "xx"
        assert '<html lang="fr">' in client.get("/").content.decode()

    def test_the_language_switch_leads_to_the_same_page(self, client, towns):
        listing = ListingFactory(slug="ferme-des-aulnes")
        html = client.get(listing.get_absolute_url(), {"vue": "é"}).content.decode()
        assert 'href="/en/activites/ferme-des-aulnes/?vue=%C3%A9" hreflang="en"' in html
        html = client.get("/en/activites/ferme-des-aulnes/").content.decode()
        assert 'href="/activites/ferme-des-aulnes/" hreflang="fr"' in html

    def test_the_language_switch_of_a_missing_page(self, client, towns):
        # no such address: the other language's home page
        html = client.get("/en/nulle-part/").content.decode()
        assert 'href="/" hreflang="fr"' in html
        # a listing no longer published: the same address in the other language, as the page may come back
        html = client.get("/en/activites/ferme-disparue/").content.decode()
        assert 'href="/activites/ferme-disparue/" hreflang="fr"' in html


class TestOpenState:
    def test_closed_listings_say_so_in_the_list_and_on_their_page(self, client, towns, maine_et_loire, monkeypatch):
        import datetime
        from zoneinfo import ZoneInfo

        sunday = datetime.datetime(2026, 11, 22, 15, 0, tzinfo=ZoneInfo("Europe/Paris"))
        monkeypatch.setattr("django.utils.timezone.now", lambda: sunday)
        listing = ListingFactory(name="Ferme fermée le dimanche", opening_hours="Mo-Sa 09:00-18:00")
        for url in [maine_et_loire.get_absolute_url(), listing.get_absolute_url()]:
            html = client.get(url).content.decode()
            assert "open-state--closed" in html, url
            assert "ouvre demain à 9 h" in html, url


def test_distance_choices_follow_the_language(client, towns, maine_et_loire):
    assert "dans un rayon de 10" in client.get(maine_et_loire.get_absolute_url()).content.decode()
    assert "within 10 km" in client.get("/en" + maine_et_loire.get_absolute_url()).content.decode()


def test_a_search_of_hundreds_of_words_is_answered(client, towns, maine_et_loire):
    ListingFactory(name="Ferme du Chêne")
    words = " ".join(f"w{i}" for i in range(600))
    for url in [maine_et_loire.get_absolute_url(), maine_et_loire.get_absolute_url() + "carte.geojson"]:
        assert client.get(url, {"q": words}).status_code == 200
    html = client.get(maine_et_loire.get_absolute_url(), {"q": "chene " * 300}).content.decode()
    assert "Ferme du Chêne" in html


def test_listings_with_the_same_name_keep_a_stable_order(client, towns, maine_et_loire, settings):
    settings.LISTINGS_PER_PAGE = 2
    ListingFactory.create_batch(5, name="Ferme")
    slugs = []
    for page in (1, 2, 3):
        html = client.get(maine_et_loire.get_absolute_url(), {"page": page}).content.decode()
        slugs += re.findall(r'href="/activites/([^/]+)/[?"]', html)
    assert sorted(slugs) == sorted(Listing.objects.values_list("slug", flat=True))
