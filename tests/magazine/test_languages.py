"""The Mag on the English pages: its sections in English; the articles, written in French, say so in the feeds."""

import re
import xml.etree.ElementTree as ET

import pytest

from tests.magazine.factories import ArticleFactory, category

pytestmark = pytest.mark.django_db

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def portrait(db):
    return ArticleFactory(title="La fromagère de Chalonnes", categories=[category("vie-locale")])


def test_the_english_mag_names_its_sections_in_english(client, portrait):
    html = client.get("/en/mag/").content.decode()
    section_filter = re.search(r'<select[^>]* name="categorie"[^>]*>(.*?)</select>', html, re.S)[1]
    assert ">Local life</option>" in section_filter and "Vie locale" not in section_filter
    assert '<span class="tag">Local life</span>' in html
    html = client.get("/en" + portrait.get_absolute_url().removeprefix("/en")).content.decode()
    assert ">Local life</a>" in html
    assert ">Vie locale<" in client.get("/mag/").content.decode()


@pytest.mark.parametrize("path", ["/en/mag/flux.rss", "/en/mag/flux.atom"])
def test_the_english_feeds_mark_their_french_items(client, portrait, path):
    root = ET.fromstring(client.get(path).content)
    items = root.findall("channel/item") or root.findall(f"{ATOM}entry")
    assert len(items) == 1
    assert items[0].get(XML_LANG) == "fr"
    categories = [c.text or c.get("term") for c in items[0].iter() if c.tag in ("category", f"{ATOM}category")]
    assert categories == ["Local life"]
