"""RSS and Atom feeds parse as XML and carry the published articles only."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from tests.magazine.factories import ArticleFactory, DraftFactory, category

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_titles(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return [item.findtext("title") for item in channel.findall("item")]


def atom_titles(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]


@pytest.fixture
def articles(maine_et_loire, gironde):
    now = timezone.now()
    ArticleFactory(title="Récent", departments=[maine_et_loire], published_at=now - datetime.timedelta(hours=1))
    ArticleFactory(title="National", published_at=now - datetime.timedelta(days=1))
    ArticleFactory(title="Girondin", departments=[gironde], published_at=now - datetime.timedelta(days=2))
    DraftFactory(title="Brouillon")
    ArticleFactory(title="Programmé", published_at=now + datetime.timedelta(days=1))


def test_the_rss_feed_has_the_published_articles_newest_first(client, articles):
    assert rss_titles(client, "/mag/flux.rss") == ["Récent", "National", "Girondin"]


def test_the_atom_feed_has_the_published_articles_newest_first(client, articles):
    assert atom_titles(client, "/mag/flux.atom") == ["Récent", "National", "Girondin"]


def test_a_department_feed_has_its_articles_and_the_national_ones(client, articles):
    assert rss_titles(client, "/mag/departements/49/flux.rss") == ["Récent", "National"]
    assert atom_titles(client, "/mag/departements/49/flux.atom") == ["Récent", "National"]


def test_an_rss_item_links_to_the_article_with_its_author_and_categories(client, db):
    article = ArticleFactory(title="Portrait", author_name="Léa Dupont", categories=[category("portraits")])
    item = ET.fromstring(client.get("/mag/flux.rss").content).find("channel/item")
    assert item.findtext("link") == "http://testserver" + article.get_absolute_url()
    assert item.findtext("description") == article.standfirst
    assert item.findtext("category") == "Portraits"
    assert item.findtext("pubDate")
    entry = ET.fromstring(client.get("/mag/flux.atom").content).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Léa Dupont"


def test_an_unknown_department_has_no_feed(client, db):
    assert client.get("/mag/departements/99/flux.rss").status_code == 404
