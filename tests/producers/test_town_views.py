"""The town box on the pages: the choice page between homonyms (no JavaScript needed), a town of another department,
labels instead of codes, and the autocomplete's answers."""

import re
from html import unescape

import pytest
from django.urls import reverse

from producers.models import Locality
from tests.factories import CommuneFactory, DepartmentFactory, ListingFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def homonyms(towns):
    """Two communes named exactly Saint-Martin, the smaller one in Maine-et-Loire, and a former commune."""
    gers = DepartmentFactory(code="32", name="Gers", region=RegionFactory(code="76", name="Occitanie"))
    return {
        "gers": CommuneFactory(
            insee_code="32389",
            name="Saint-Martin",
            department=gers,
            postal_codes="32300",
            population=459,
            latitude=43.57,
            longitude=0.38,
        ),
        "anjou": CommuneFactory(
            insee_code="49999", name="Saint-Martin", postal_codes="49999", population=58, latitude=47.3, longitude=-0.6
        ),
        "andard": Locality.objects.create(
            insee_code="49004",
            kind=Locality.Kind.DELEGATED,
            name="Andard",
            population=2468,
            latitude=47.457,
            longitude=-0.3985,
            commune=CommuneFactory(
                insee_code="49307",
                name="Loire-Authion",
                postal_codes="49800",
                population=15702,
                latitude=47.46,
                longitude=-0.31,
            ),
        ),
    }


def choice_links(response):
    """(text, href) of the choice page's links, in order."""
    html = response.content.decode()
    start = html.index('<ul class="town-choices">')
    listing = html[start : html.index("</ul>", start)]  # the footer has links too
    return [(text, unescape(href)) for href, text in re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', listing)]


class TestHomeSearch:
    def test_homonyms_get_a_choice_page_most_populated_first(self, client, homonyms):
        response = client.get(reverse("producers:search"), {"commune": "saint martin"})
        assert response.status_code == 200
        assert "De quel lieu parlez-vous ?" in response.content.decode()
        assert choice_links(response) == [
            ("Saint-Martin (32)", "/recherche/?commune=Saint-Martin+%2832%29&commune_code=32389"),
            ("Saint-Martin (49)", "/recherche/?commune=Saint-Martin+%2849%29&commune_code=49999"),
        ]

    def test_a_choice_leads_to_that_town_on_its_department_page(self, client, homonyms):
        response = client.get(reverse("producers:search"), {"commune": "Saint-Martin (32)", "commune_code": "32389"})
        assert response.status_code == 302
        assert response["Location"] == "/departements/32-gers/?commune=Saint-Martin+%2832%29&distance=10"

    def test_a_former_commune_leads_to_its_commune_nouvelle_department_around_its_point(self, client, homonyms):
        response = client.get(reverse("producers:search"), {"commune": "Andard"})
        assert response["Location"] == (
            "/departements/49-maine-et-loire/?commune=Andard+%28Loire-Authion%29&distance=10"
        )
        page = client.get(response["Location"]).content.decode()
        assert 'data-center="47.457000,-0.398500"' in page
        assert 'value="Andard (Loire-Authion)"' in page

    def test_a_long_chain_of_postal_codes_is_a_page_not_an_error(self, client, towns):
        # Each code was once stripped by a recursive call: 660 of them (a request line gunicorn accepts) overflowed
        # Python's stack, a 500.
        response = client.get(reverse("producers:search"), {"commune": "49000 " * 660 + "x"})
        assert response["Location"] == "/departements/49-maine-et-loire/?commune=Angers+%2849%29&distance=10"

    def test_a_typo_leads_to_the_town(self, client, towns):
        response = client.get(reverse("producers:search"), {"commune": "Cholett"})
        assert response["Location"] == "/departements/49-maine-et-loire/?commune=Cholet+%2849%29&distance=10"

    def test_an_old_link_with_an_insee_code_still_leads_to_the_town(self, client, towns):
        response = client.get(reverse("producers:search"), {"commune": "49007"})
        assert response["Location"] == "/departements/49-maine-et-loire/?commune=Angers+%2849%29&distance=10"

    def test_an_old_link_with_a_corsican_insee_code_still_leads_to_the_town(self, client, db):
        corse_du_sud = DepartmentFactory(code="2A", name="Corse-du-Sud", region=RegionFactory(code="94", name="Corse"))
        CommuneFactory(
            insee_code="2A004",
            name="Ajaccio",
            department=corse_du_sud,
            postal_codes="20000 20090 20167",
            latitude=41.9272,
            longitude=8.7346,
        )
        response = client.get(reverse("producers:search"), {"commune": "2A004"})
        assert response.status_code == 302
        assert response["Location"].endswith("?commune=Ajaccio+%282A%29&distance=10")

    def test_a_code_that_is_neither_a_postal_nor_an_insee_code_is_not_found(self, client, towns):
        assert client.get(reverse("producers:search"), {"commune": "49998"}).status_code == 404


class TestDepartmentPage:
    def test_the_department_s_own_homonym_is_taken(self, client, homonyms, maine_et_loire):
        ListingFactory(name="Ferme de Saint-Martin", commune=homonyms["anjou"], latitude=47.3, longitude=-0.6)
        html = client.get(maine_et_loire.get_absolute_url(), {"commune": "Saint-Martin"}).content.decode()
        assert "Ferme de Saint-Martin" in html
        assert "town-choices" not in html

    def test_choosing_among_homonyms_needs_no_javascript(self, client, homonyms):
        gironde = DepartmentFactory(code="33", name="Gironde", region=RegionFactory(code="75"))
        response = client.get(gironde.get_absolute_url(), {"commune": "Saint-Martin", "kind": "shop", "page": "2"})
        links = choice_links(response)
        assert [text for text, _ in links] == ["Saint-Martin (32)", "Saint-Martin (49)"]
        assert links[1][1] == "/departements/33-gironde/?commune=Saint-Martin+%2849%29&kind=shop&commune_code=49999"
        chosen = client.get(links[1][1])
        html = chosen.content.decode()
        assert chosen.status_code == 200
        assert "town-choices" not in html
        assert 'value="Saint-Martin (49)"' in html  # the label in the box, the code hidden beside it
        assert '<input type="hidden" name="commune_code" value="49999">' in html

    def test_a_town_of_another_department_is_said_so_with_a_link(self, client, towns, maine_et_loire):
        html = client.get(maine_et_loire.get_absolute_url(), {"commune": "Bordeaux", "distance": "20"}).content.decode()
        assert (
            "Bordeaux est dans le département Gironde (33) : cette page ne liste que les producteurs de Maine-et-Loire."
            in unescape(html)
        )
        assert 'href="/departements/33-gironde/?commune=Bordeaux+%2833%29&amp;distance=20"' in html

    def test_a_town_of_the_department_is_not_flagged(self, client, towns, maine_et_loire):
        html = client.get(maine_et_loire.get_absolute_url(), {"commune": "Cholet"}).content.decode()
        assert "notice--town" not in html


class TestTownBoxShowsNoCode:
    def test_a_town_page_shows_the_town_s_label(self, client, towns):
        html = client.get(towns["angers"].get_absolute_url()).content.decode()
        assert 'name="commune" id="id_commune" value="Angers (49)"' in html
        assert 'value="49007"' in html  # only in the hidden field
        # In URLs only: links, the oEmbed discovery link naming the page's address (…%2F49007-angers%2F), the
        # link to the embed builder preset to this town and the email alerts' link naming the town it follows.
        in_urls = sum(html.count(where) for where in ("/49007-", "%2F49007-", "commune_code=49007", "ville=49007"))
        assert html.count("49007") == html.count('value="49007"') + in_urls

    def test_an_old_link_with_an_insee_code_still_lists_the_town_s_surroundings(self, client, towns, maine_et_loire):
        # Links shared before the town box read postal codes carry the INSEE code: 49007 is Angers', no postal code.
        ListingFactory(name="Ferme des Avrillais", commune=towns["avrille"], latitude=47.5069, longitude=-0.5889)
        html = client.get(maine_et_loire.get_absolute_url(), {"commune": "49007", "distance": "10"}).content.decode()
        assert "Ferme des Avrillais" in html
        assert 'id="commune-error"' not in html

    def test_a_code_that_is_neither_a_postal_nor_an_insee_code_is_not_found(self, client, towns, maine_et_loire):
        html = client.get(maine_et_loire.get_absolute_url(), {"commune": "49998"}).content.decode()
        assert 'id="commune-error"' in html


class TestAutocomplete:
    def url(self):
        return reverse("producers:commune_autocomplete")

    def test_it_accepts_its_own_label(self, client, homonyms):
        data = client.get(self.url(), {"q": "Saint-Martin (32)"}).json()
        assert [r["label"] for r in data["results"]] == ["Saint-Martin (32)"]

    def test_it_ranks_the_department_of_the_page_first(self, client, homonyms):
        assert [r["insee_code"] for r in client.get(self.url(), {"q": "saint-ma"}).json()["results"]] == [
            "32389",
            "49999",
        ]
        data = client.get(self.url(), {"q": "saint-ma", "department": "49"}).json()
        assert [r["insee_code"] for r in data["results"]] == ["49999", "32389"]

    def test_it_offers_former_communes_with_their_commune(self, client, homonyms):
        [result] = client.get(self.url(), {"q": "anda"}).json()["results"]
        assert result["label"] == "Andard (Loire-Authion)"
        assert result["insee_code"] == "49307"
        assert (result["latitude"], result["longitude"]) == (47.457, -0.3985)

    def test_it_tolerates_a_typo(self, client, towns):
        assert [r["label"] for r in client.get(self.url(), {"q": "Avrile"}).json()["results"]] == ["Avrillé (49)"]
