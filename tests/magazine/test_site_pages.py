"""The site's own pages: the footer's links, editable by the editors, the legal details from settings."""

import re

import pytest
from django.contrib.auth.models import Group

from magazine.models import SitePage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FOOTER = {
    "a-propos": ("À propos", "About"),
    "mentions-legales": ("Mentions légales", "Legal notice"),
    "confidentialite": ("Confidentialité", "Privacy"),
    "donnees-ouvertes": ("Données ouvertes", "Open data"),
    "contact": ("Contact", "Contact"),
}


def footer_links(html):
    footer = re.search(r'<footer class="site-footer">.*?</footer>', html, re.S)[0]
    return dict(re.findall(r'<a href="([^"]+)">([^<]+)</a>', footer))


def test_every_page_has_the_footer_and_each_link_answers(client, maine_et_loire):
    for home, language in [("/", 0), ("/en/", 1)]:
        links = footer_links(client.get(home).content.decode())
        prefix = "/en" if language else ""
        pages = {f"{prefix}/pages/{slug}/": titles[language] for slug, titles in FOOTER.items()}
        # And the embed builder, for partners (producers/embed/).
        builder = {f"{prefix}/integrer/": ("Intégrer la carte à votre site", "Put the map on your site")[language]}
        assert links == {**pages, **builder}
        for url, title in links.items():
            html = client.get(url).content.decode()
            assert re.search(rf"<h1>{re.escape(title)}</h1>", html), url


def test_the_legal_notice_names_publisher_host_and_contact_from_the_settings(client, settings):
    settings.SITE_PUBLISHER = "Association Circuits Courts 49"
    settings.SITE_PUBLISHER_ADDRESS = "3 rue des Lices, 49100 Angers"
    settings.SITE_PUBLICATION_DIRECTOR = "Camille Martin"
    settings.SITE_CONTACT_EMAIL = "bonjour@circuits-courts.example"
    settings.SITE_HOST = "Hébergeur SAS"
    settings.SITE_HOST_ADDRESS = "2 rue Kellermann, 59100 Roubaix"
    html = client.get("/pages/mentions-legales/").content.decode()
    for value in [
        "Association Circuits Courts 49",
        "3 rue des Lices, 49100 Angers",
        "Camille Martin",
        'href="mailto:bonjour@circuits-courts.example"',
        "Hébergeur SAS",
        "2 rue Kellermann, 59100 Roubaix",
    ]:
        assert value in html
    assert 'href="mailto:bonjour@circuits-courts.example"' in client.get("/pages/contact/").content.decode()


def test_the_privacy_page_holds_the_notice_of_the_form(client):
    text = " ".join(client.get("/pages/confidentialite/").content.decode().split())
    assert "une inscription refusée est supprimée au bout de six mois" in text
    text = " ".join(client.get("/en/pages/confidentialite/").content.decode().split())
    assert "a refused submission is deleted after six months" in text


def test_editors_change_the_pages_and_the_text_is_sanitised(client):
    editor = UserFactory(username="redac", is_staff=True)
    editor.groups.add(Group.objects.get(name="Rédaction"))
    assert editor.has_perm("magazine.change_sitepage")
    assert not editor.has_perm("magazine.delete_sitepage")
    page = SitePage.objects.get(slug="a-propos")
    page.body = "## Notre équipe\n\nDes bénévoles.<script>alert(1)</script>"
    page.save()
    html = client.get("/pages/a-propos/").content.decode()
    assert "<h2>Notre équipe</h2>" in html and "alert(1)" not in html


def test_an_english_page_without_translation_shows_the_french_text_marked_french(client):
    page = SitePage.objects.get(slug="contact")
    page.body_en = ""
    page.save()
    html = client.get("/en/pages/contact/").content.decode()
    assert '<div class="site-page__body" lang="fr">' in html
    assert "écrivez-nous" in html


def test_an_unknown_page_is_a_404(client):
    assert client.get("/pages/nulle-part/").status_code == 404
