"""What every page carries: the Mag in the main menu, a favicon and a web app manifest whose icons exist."""

import io
import json
import re

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db


def test_the_main_menu_links_the_mag(client):
    html = client.get("/").content.decode()
    menu = re.search(r'<nav aria-label="Menu principal">.*?</nav>', html, re.S)[0]
    assert '<a href="/mag/">Le Mag</a>' in menu
    assert '<a href="/en/mag/">The Mag</a>' in client.get("/en/").content.decode()


def test_favicon_ico_answers_with_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    icon = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert icon.format == "ICO"
    assert (32, 32) in icon.info["sizes"]


def test_the_manifest_is_linked_and_its_icons_are_real_images(client):
    html = client.get("/").content.decode()
    assert re.search(r'<link rel="manifest" href="/static/site\.webmanifest">', html)
    with open(finders.find("site.webmanifest"), encoding="utf-8") as file:
        manifest = json.load(file)
    assert manifest["start_url"] == "/" and manifest["name"]
    sizes = set()
    for icon in manifest["icons"]:
        path = finders.find(icon["src"])
        assert path, icon["src"]
        if icon["type"] == "image/png":
            with Image.open(path) as image:
                assert f"{image.width}x{image.height}" == icon["sizes"]
                sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes


def test_every_photo_link_of_a_listing_has_a_name(client, towns):
    from django.core.files.base import ContentFile

    from tests.factories import ListingFactory

    listing = ListingFactory(name="Ferme des Noues")
    for alt in ["Les chèvres au pré", ""]:
        buffer = io.BytesIO()
        Image.new("RGB", (40, 30), "green").save(buffer, format="JPEG")
        photo = listing.photos.create(alt_text=alt, image=ContentFile(buffer.getvalue(), name="photo.jpg"))
        assert photo.pk
    html = client.get(listing.get_absolute_url()).content.decode()
    gallery = re.search(r'<section class="listing__photos".*?</section>', html, re.S)[0]
    links = re.findall(r"<a [^>]*>(.*?)</a>", gallery, re.S)
    assert len(links) == 2
    for link in links:
        alt = re.search(r'alt="([^"]*)"', link)[1]
        hidden = re.sub(r"<[^>]+>", "", link).strip()
        assert (alt + " " + hidden).strip(), link
    assert "(photo 2, en grand)" in links[1]


def test_the_menu_and_footer_follow_each_pages_language_whatever_was_cached_first(client):
    # rendered once per language and cached (localdir.templatetags.site.chrome)
    for _ in range(2):
        english = client.get("/en/mag/").content.decode()
        french = client.get("/mag/").content.decode()
        assert '<a href="/en/pages/mentions-legales/">Legal notice</a>' in english
        assert '<a href="/pages/mentions-legales/">Mentions légales</a>' in french
        assert '<link rel="stylesheet" href="/static/css/site.css">' in english


def main_menu(html):
    return re.search(r'<nav aria-label="(?:Menu principal|Main menu)">.*?</nav>', html, re.S)[0]


def test_the_main_menu_marks_the_page_shown_whatever_was_cached_first(client, towns):
    department = towns["angers"].department.get_absolute_url()
    for _ in range(2):  # the menu is cached once per link marked: each page still gets its own
        mag = main_menu(client.get("/mag/").content.decode())
        assert '<a href="/mag/" aria-current="page">Le Mag</a>' in mag
        assert mag.count("aria-current") == 1
        register = main_menu(client.get("/inscrire/").content.decode())
        assert '<a href="/inscrire/" aria-current="page">' in register
        assert register.count("aria-current") == 1
        # A department's page is in the Departments section; it is not the page the link leads to.
        anjou = main_menu(client.get(department).content.decode())
        assert '<a href="/#departements" aria-current="true">Départements</a>' in anjou
        assert anjou.count("aria-current") == 1
        assert "aria-current" not in main_menu(client.get("/").content.decode())
        english = main_menu(client.get("/en/mag/").content.decode())
        assert '<a href="/en/mag/" aria-current="page">The Mag</a>' in english


def test_the_menu_link_marked_current_is_styled_by_more_than_colour():
    css = open(finders.find("css/site.css"), encoding="utf-8").read()
    rule = re.search(r"\.site-nav a\[aria-current\] \{([^}]*)\}", css)[1]
    assert "font-weight: 700" in rule and "text-decoration-thickness" in rule


def test_the_language_switch_names_each_page_whatever_page_was_rendered_first(client, towns):
    # rendered once per language (localdir.templatetags.site.language_switch), each page's own address written in
    from tests.factories import ListingFactory

    listings = [ListingFactory(slug="ferme-des-aulnes"), ListingFactory(slug="ferme-des-saules")]
    for _ in range(2):
        for listing in listings:
            french = client.get(f"/activites/{listing.slug}/", {"vue": "carte", "page": "2"}).content.decode()
            assert f'href="/en/activites/{listing.slug}/?vue=carte&amp;page=2" hreflang="en"' in french
            assert '<span aria-current="true" lang="fr">Français</span>' in french
            english = client.get(f"/en/activites/{listing.slug}/").content.decode()
            assert f'href="/activites/{listing.slug}/" hreflang="fr"' in english
            assert '<span aria-current="true" lang="en">English</span>' in english


def test_the_home_search_box_shows_what_this_visitor_typed_and_nothing_to_the_next(client):
    # without a query the box is rendered once per language and kept
    def box(response):
        return re.search(r'<input id="home-commune"[^>]*>', response.content.decode(), re.S)[0]

    assert 'value=""' in box(client.get("/"))
    assert 'value="Ang&quot;ers"' in box(client.get("/", {"commune": 'Ang"ers'}))
    assert 'value=""' in box(client.get("/"))
    english = client.get("/en/").content.decode()
    assert '<label for="home-commune">Town or postal code</label>' in english
    assert 'action="/en/recherche/"' in english
