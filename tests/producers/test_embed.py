"""The embed builder (/integrer/) and the embedded pages (/embed/…): what a partner copies, what visitors see."""

import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from producers.models import Listing
from producers.towns import resolve as resolve_town
from tests.factories import CategoryFactory, CommuneFactory, DepartmentFactory, ListingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vegetables():
    return CategoryFactory(name="Légumes", name_en="Vegetables", slug="legumes")


@pytest.fixture
def listings(towns, vegetables):
    cheese = CategoryFactory(name="Fromages", slug="fromages")
    return {
        "angers": ListingFactory(name="Jardin d'Angers", commune=towns["angers"], categories=[vegetables]),
        "avrille": ListingFactory(name="Fromagerie d'Avrillé", commune=towns["avrille"], categories=[cheese]),
        "cholet": ListingFactory(name="Ferme de Cholet", commune=towns["cholet"], categories=[vegetables]),
        "gironde": ListingFactory(
            name="Chai de Gironde",
            commune=CommuneFactory(
                insee_code="33063",
                name="Bordeaux",
                department=DepartmentFactory(code="33"),
                postal_codes="33000",
                latitude=44.84,
                longitude=-0.58,
            ),
        ),
        "draft": ListingFactory(name="Brouillon d'Angers", commune=towns["angers"], status=Listing.Status.PENDING),
    }


def snippet_of(response):
    match = re.search(r"<textarea[^>]*data-embed-snippet[^>]*>(.*?)</textarea>", response.content.decode(), re.S)
    assert match, "no snippet on the page"
    return html.unescape(match.group(1))


def test_builder_without_a_choice_explains_and_shows_no_code(client, maine_et_loire):
    response = client.get("/integrer/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Intégrer la carte à votre site</h1>" in content
    assert "data-embed-snippet" not in content


def test_builder_writes_the_snippet_of_a_department_with_filters(client, listings, vegetables):
    response = client.get(
        "/integrer/",
        {
            "area": "department",
            "department": "49",
            "category": "legumes",
            "kind": "",
            "height": "450",
            "language": "en",
        },
    )
    assert response.status_code == 200
    snippet = snippet_of(response)
    assert 'src="http://127.0.0.1:8000/en/embed/departements/49-maine-et-loire/?category=legumes"' in snippet
    assert 'height="450"' in snippet
    assert 'loading="lazy"' in snippet and 'allow="geolocation"' in snippet and "referrerpolicy=" in snippet
    assert 'title="Local producers in Maine-et-Loire (49) · localdir"' in snippet
    # The preview shows the same page, from this site.
    assert 'src="/en/embed/departements/49-maine-et-loire/?category=legumes"' in response.content.decode()


def test_builder_writes_the_snippet_of_a_town_and_distance(client, listings):
    response = client.get("/integrer/", {"area": "commune", "commune": "Avrillé", "distance": "20"})
    snippet = snippet_of(response)
    assert "/embed/communes/49015-avrille/?distance=20" in snippet
    assert "/en/" not in snippet  # the page's language by default
    assert 'title="Avrillé (49) et alentours\xa0: producteurs locaux · localdir"' in snippet


@pytest.mark.parametrize(
    "distance, title",
    [("", "Angers (49)\xa0: producteurs locaux"), ("10", "Angers (49) et alentours\xa0: producteurs locaux")],
)
def test_the_frames_title_reads_right_in_french_whatever_the_name(client, listings, distance, title):
    # Read by screen readers: no "autour de Angers" (elided) nor "en Nord" (an article): the directory's own titles.
    nord = DepartmentFactory(code="59", name="Nord")
    snippet = snippet_of(client.get("/integrer/", {"area": "commune", "commune": "Angers", "distance": distance}))
    assert f'title="{title} · localdir"' in snippet
    content = client.get("/embed/communes/49007-angers/", {"distance": distance}).content.decode()
    assert f'<h1 class="embed-header__title">{title}</h1>' in content
    department = client.get(f"/embed/departements/59-{nord.slug}/").content.decode()
    assert '<h1 class="embed-header__title">Nord (59)\xa0: producteurs locaux</h1>' in department


def test_builder_without_javascript_takes_the_town_typed(client, listings):
    # "A department" is ticked first and only a script unticks it: a town typed and sent is the choice made.
    response = client.get(
        "/integrer/",
        {"area": "department", "department": "", "commune": "Avrillé", "distance": "5", "height": "600"},
    )
    assert "/embed/communes/49015-avrille/?distance=5" in snippet_of(response)
    content = response.content.decode()
    assert "error-summary" not in content
    assert re.search(r'<input type="radio" name="area" value="commune"[^>]* checked', content)


def test_builder_shows_each_error_next_to_its_field(client, listings):
    content = client.get(
        "/integrer/", {"area": "commune", "commune": "Angers", "distance": "50000", "category": "zzz", "height": "1"}
    ).content.decode()
    ids = set(re.findall(r'\sid="([^"]+)"', content))
    described = {ref for refs in re.findall(r'aria-describedby="([^"]+)"', content) for ref in refs.split()}
    assert {"id_distance_error", "id_category_error", "id_height_error"} <= described
    assert described <= ids, described - ids
    distance_error = re.search(r'id="id_distance_error">(.*?)</div>', content, re.S).group(1)
    assert "Sélectionnez un choix valide" in distance_error
    assert 'href="#id_distance"' in content  # and in the summary


def test_builder_shows_a_towns_surroundings_unless_told_this_town_only(client, listings):
    assert "/embed/communes/49015-avrille/?distance=10" in snippet_of(
        client.get("/integrer/", {"area": "commune", "commune": "Avrillé"})
    )
    town_only = snippet_of(client.get("/integrer/", {"area": "commune", "commune": "Avrillé", "distance": ""}))
    assert '/embed/communes/49015-avrille/?distance="' in town_only


def test_builder_names_the_missing_or_unknown_area(client, listings):
    response = client.get("/integrer/", {"area": "commune", "commune": "Nullepart-sur-Mer"})
    content = response.content.decode()
    assert "error-summary" in content and 'href="#id_commune"' in content
    assert 'value="Nullepart-sur-Mer"' in content  # kept for correcting
    assert "data-embed-snippet" not in content
    response = client.get("/integrer/", {"area": "department", "department": "", "height": "10"})
    content = response.content.decode()
    assert 'href="#id_department"' in content and 'href="#id_height"' in content


def test_embedded_department_page_lists_the_filtered_listings_opening_new_tabs(client, listings):
    response = client.get("/embed/departements/49-maine-et-loire/", {"category": "legumes"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Jardin d&#x27;Angers" in content and "Ferme de Cholet" in content
    assert "Fromagerie" not in content and "Chai de Gironde" not in content and "Brouillon" not in content
    assert re.search(r'<a href="/activites/[^"]+/" target="_blank" rel="noopener">Jardin', content)
    assert '<span class="visually-hidden"> (s’ouvre dans un nouvel onglet)</span>' in content
    assert (
        'data-links-target="_blank"' in content
        and 'data-geojson-url="/departements/49-maine-et-loire/carte.geojson"' in content
    )
    assert 'href="/departements/49-maine-et-loire/?category=legumes" target="_blank"' in content


def test_embedded_town_page_keeps_its_distance(client, listings):
    town_only = client.get("/embed/communes/49015-avrille/", {"distance": ""}).content.decode()
    near = client.get("/embed/communes/49015-avrille/", {"distance": "5"}).content.decode()
    assert "Fromagerie" in town_only and "Jardin d&#x27;Angers" not in town_only
    assert "Jardin d&#x27;Angers" in near and "Ferme de Cholet" not in near  # Angers is 4.8 km away, Cholet 54


def test_embedded_page_paginates_without_javascript(client, towns):
    ListingFactory.create_batch(12, commune=towns["angers"])
    first = client.get("/embed/departements/49-maine-et-loire/").content.decode()
    assert first.count('target="_blank" rel="noopener">Ferme') == 10
    assert 'href="?page=2" rel="next"' in first
    second = client.get("/embed/departements/49-maine-et-loire/", {"page": 2}).content.decode()
    assert second.count('target="_blank" rel="noopener">Ferme') == 2


def test_embedded_pages_in_english(client, listings):
    content = client.get("/en/embed/departements/49-maine-et-loire/").content.decode()
    assert '<html lang="en"' in content and "Local producers in Maine-et-Loire" in content
    assert 'href="/en/departements/49-maine-et-loire/" target="_blank"' in content


@pytest.mark.parametrize(
    "old, new",
    [
        # A town renamed or merged on 1 January keeps its code: the partner's frame follows, filters and all.
        ("/embed/communes/49015-ancien-nom/?distance=5", "/embed/communes/49015-avrille/?distance=5"),
        ("/en/embed/communes/49015-angers/", "/en/embed/communes/49015-avrille/"),
        (
            "/embed/departements/49-ancien-nom/?category=fromages&distance=",
            "/embed/departements/49-maine-et-loire/?category=fromages&distance=",
        ),
    ],
)
def test_embedded_pages_with_an_old_name_move_like_the_full_pages(client, listings, old, new):
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == new
    assert "Fromagerie" in client.get(new).content.decode()


def test_unknown_embeds_are_not_found_inside_the_frame(client, listings):
    for url in ("/embed/departements/98-nowhere/", "/embed/communes/99999-nulle-part/"):
        response = client.get(url)
        assert response.status_code == 404
        # The site's "not found" page, which the partner's frame may show (not the browser's refusal).
        assert "Page introuvable" in response.content.decode()
        assert "frame-ancestors *" in response["Content-Security-Policy"] and "X-Frame-Options" not in response
        assert not response.cookies


@pytest.mark.parametrize(
    "url, data",
    [
        ("/embed/departements/49-maine-et-loire/", {"category": "legumes"}),
        ("/embed/communes/49007-angers/", {"distance": "20", "category": "legumes"}),
    ],
)
def test_embedded_pages_run_the_same_queries_whatever_the_number_of_listings(towns, vegetables, url, data):
    def visit():
        resolve_town("Angers")  # each process builds its index of place names once
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(url, data)
        assert response.status_code == 200
        return len(queries), response.content.decode().count('target="_blank" rel="noopener">Ferme')

    for i in range(3):
        ListingFactory(name=f"Ferme {i}", commune=towns["angers" if i % 2 else "avrille"], categories=[vegetables])
    small = visit()
    for i in range(3, 30):
        ListingFactory(name=f"Ferme {i}", commune=towns["angers" if i % 2 else "avrille"], categories=[vegetables])
    large = visit()
    assert small[0] == large[0]
    assert (small[1], large[1]) == (3, 10)  # a page of ten at most


def test_builder_asks_which_town_when_several_have_the_name(client, towns):
    gironde = DepartmentFactory(code="33")
    for insee, department, lat in (("49301", towns["angers"].department, 47.3), ("33401", gironde, 44.9)):
        CommuneFactory(insee_code=insee, name="Saint-Rémy", department=department, latitude=lat, longitude=-0.5)
    content = client.get("/integrer/", {"area": "commune", "commune": "Saint-Rémy"}).content.decode()
    assert "Plusieurs communes portent ce nom" in content and "data-embed-snippet" not in content
    choices = re.findall(r'<ul class="town-choices">(.*?)</ul>', content, re.S)[0]
    links = [html.unescape(link) for link in re.findall(r'href="([^"]+)"', choices)]
    assert len(links) == 2
    chosen = client.get(next(link for link in links if "commune_code=33401" in link))
    assert "/embed/communes/33401-saint-remy/?distance=" in snippet_of(chosen)
