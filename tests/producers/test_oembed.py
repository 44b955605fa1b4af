"""oEmbed: a CMS given the address of a department or town page gets the embedded map (https://oembed.com)."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import CategoryFactory, ListingFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


@pytest.fixture
def published(towns):
    return ListingFactory(name="Jardin d'Angers", commune=towns["angers"])


def oembed(client, url, **params):
    return client.get("/oembed", {"url": url, **params})


def iframe_src(data):
    return html.unescape(re.search(r'<iframe src="([^"]+)"', data["html"]).group(1))


def test_a_department_page_gives_its_embedded_map(client, published):
    response = oembed(client, f"{SITE}/departements/49-maine-et-loire/", format="json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert data["provider_name"] == "localdir" and data["provider_url"] == f"{SITE}/"
    assert data["title"] == "Maine-et-Loire (49)\xa0: producteurs locaux"
    assert iframe_src(data) == f"{SITE}/embed/departements/49-maine-et-loire/"
    assert (data["width"], data["height"]) == (800, 600)
    assert 'width="800" height="600"' in data["html"] and 'loading="lazy"' in data["html"]
    # What the iframe shows is really there.
    assert b"Jardin d&#x27;Angers" in client.get(urlsplit(iframe_src(data)).path).content


def test_filters_language_and_town_come_from_the_page_url(client, published):
    data = oembed(client, f"{SITE}/en/communes/49007-angers/?distance=20&category=legumes&page=3&q=x").json()
    src = urlsplit(iframe_src(data))
    assert src.path == "/en/embed/communes/49007-angers/"
    assert parse_qs(src.query, keep_blank_values=True) == {"distance": ["20"], "category": ["legumes"]}
    assert data["title"] == "Local producers around Angers (49)"
    plain = urlsplit(iframe_src(oembed(client, f"{SITE}/communes/49007-angers/").json()))
    assert plain.query == "distance=10"  # the town page's own default


def test_maxwidth_and_maxheight_are_honoured(client, published):
    data = oembed(client, f"{SITE}/departements/49-maine-et-loire/", maxwidth="500", maxheight="400").json()
    assert (data["width"], data["height"]) == (500, 400)
    assert 'width="500" height="400"' in data["html"]
    # Larger limits leave the defaults; nonsense is ignored.
    data = oembed(client, f"{SITE}/departements/49-maine-et-loire/", maxwidth="5000", maxheight="abc").json()
    assert (data["width"], data["height"]) == (800, 600)
    # However small: oEmbed forbids going past them (a narrow column, a phone).
    data = oembed(client, f"{SITE}/departements/49-maine-et-loire/", maxwidth="250", maxheight="200").json()
    assert (data["width"], data["height"]) == (250, 200)
    assert 'width="250" height="200"' in data["html"]
    data = oembed(client, f"{SITE}/departements/49-maine-et-loire/", maxwidth="0", maxheight="-5").json()
    assert (data["width"], data["height"]) == (800, 600)


@pytest.mark.parametrize(
    "url",
    [
        f"{SITE}/",
        f"{SITE}/activites/ferme/",
        f"{SITE}/departements/98-nulle-part/",
        f"{SITE}/communes/99999-nulle-part/",
        "https://ailleurs.example.org/departements/49-maine-et-loire/",
        "javascript:alert(1)",
        "http://[::1",
        "",
    ],
)
def test_other_urls_are_not_found(client, published, url):
    assert oembed(client, url).status_code == 404


@pytest.mark.parametrize(
    "url, src",
    [
        # The directory's pages move to the current name (a town renamed or merged on 1 January): so does oEmbed.
        ("/departements/49-ancien-nom/?category=legumes", "/embed/departements/49-maine-et-loire/?category=legumes"),
        ("/communes/49007-ancien-nom/?distance=20", "/embed/communes/49007-angers/?distance=20"),
    ],
)
def test_a_page_under_an_old_name_gives_the_current_map(client, published, url, src):
    assert client.get(url).status_code == 301
    assert iframe_src(oembed(client, SITE + url).json()) == SITE + src


def test_a_town_page_in_the_town_only_embeds_the_town_only(client, towns):
    ListingFactory(name="Jardin d'Angers", commune=towns["angers"])
    ListingFactory(name="Fromagerie d'Avrillé", commune=towns["avrille"])  # 4.8 km away
    # The town page's form, "in this town only": the distance is left out of the URL.
    page = client.get("/communes/49007-angers/", {"commune": "Angers (49)", "commune_code": "49007"})
    assert "Fromagerie" not in page.content.decode()
    data = oembed(client, SITE + page.wsgi_request.get_full_path()).json()
    assert urlsplit(iframe_src(data)).query == "distance="
    framed = client.get(iframe_src(data).removeprefix(SITE)).content.decode()
    assert "Jardin d&#x27;Angers" in framed and "Fromagerie" not in framed
    assert data["title"] == "Angers (49)\xa0: producteurs locaux"
    builder = re.search(r'class="embed-link"><a href="([^"]+)"', page.content.decode()).group(1)
    assert parse_qs(urlsplit(html.unescape(builder)).query, keep_blank_values=True)["distance"] == [""]
    preset = client.get(html.unescape(builder)).content.decode()
    assert '/embed/communes/49007-angers/?distance=" title=' in html.unescape(preset)


@pytest.mark.parametrize("distance, src_query", [("5", "distance=5"), (None, "distance=")])
def test_a_department_page_searched_for_a_town_embeds_the_town(client, towns, distance, src_query):
    ListingFactory(name="Fromagerie d'Avrillé", commune=towns["avrille"])
    ListingFactory(name="Ferme de Cholet", commune=towns["cholet"])
    # Where the home page's town box leads ("in this town only" leaves the distance out).
    query = {"commune": "Avrillé (49)", "commune_code": "49015", **({"distance": distance} if distance else {})}
    page = client.get("/departements/49-maine-et-loire/", query).content.decode()
    assert "Ferme de Cholet" not in page
    href = html.unescape(re.search(r'type="application/json\+oembed" href="([^"]+)"', page).group(1))
    src = iframe_src(client.get(href.removeprefix(SITE)).json())
    assert src == f"{SITE}/embed/communes/49015-avrille/?{src_query}"
    framed = client.get(src.removeprefix(SITE)).content.decode()
    assert "Fromagerie" in framed and "Ferme de Cholet" not in framed
    builder = html.unescape(re.search(r'class="embed-link"><a href="([^"]+)"', page).group(1))
    assert parse_qs(urlsplit(builder).query, keep_blank_values=True) == {
        "area": ["commune"],
        "commune": ["Avrillé (49)"],
        "commune_code": ["49015"],
        "distance": [distance or ""],
    }
    assert f'/embed/communes/49015-avrille/?{src_query}" title=' in html.unescape(client.get(builder).content.decode())


def test_xml_is_not_implemented(client, published):
    assert oembed(client, f"{SITE}/departements/49-maine-et-loire/", format="xml").status_code == 501


def test_department_and_town_pages_announce_it(client, published):
    for page in ("/departements/49-maine-et-loire/", "/en/communes/49007-angers/"):
        content = client.get(page).content.decode()
        link = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', content)
        assert link, page
        href = urlsplit(html.unescape(link.group(1)))
        assert f"{href.scheme}://{href.netloc}" == SITE and href.path == "/oembed"
        assert parse_qs(href.query) == {"url": [SITE + page], "format": ["json"]}
        assert oembed(client, SITE + page).status_code == 200


def test_a_filtered_page_announces_its_filtered_map(client, published):
    CategoryFactory(name="Légumes", slug="legumes")
    for page, src in (
        ("/departements/49-maine-et-loire/?category=legumes&page=2", "/embed/departements/49-maine-et-loire/"),
        ("/en/communes/49007-angers/?distance=20&category=legumes", "/en/embed/communes/49007-angers/"),
    ):
        content = client.get(page).content.decode()
        href = html.unescape(re.search(r'type="application/json\+oembed" href="([^"]+)"', content).group(1))
        announced = parse_qs(urlsplit(href).query)["url"][0]
        assert "page=" not in announced and "category=legumes" in announced
        data = client.get(href.removeprefix(SITE)).json()
        assert urlsplit(iframe_src(data)).path == src and "category=legumes" in iframe_src(data)


def test_department_and_town_pages_link_to_the_builder(client, published):
    CategoryFactory(name="Légumes", slug="legumes")
    department = client.get("/departements/49-maine-et-loire/?category=legumes").content.decode()
    department_builder = "/integrer/?area=department&amp;department=49&amp;category=legumes"
    assert f'href="{department_builder}"' in department
    town = client.get("/en/communes/49007-angers/").content.decode()
    builder = "/en/integrer/?area=commune&amp;commune=Angers+%2849%29&amp;commune_code=49007&amp;distance=10"
    assert f'href="{builder}"' in town
    # Followed, they give the code of this page's map.
    for link in (department_builder, builder):
        preset = client.get(html.unescape(link)).content.decode()
        assert "<textarea" in preset and "error-summary" not in preset
    home = client.get("/").content.decode()
    assert 'href="/integrer/"' in home  # the footer
