"""The Mag's fixes: "##" is the article's second level, feeds carry the cover, the department filter is useful."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from magazine.rendering import render_markdown
from tests.factories import DepartmentFactory, RegionFactory
from tests.magazine.factories import ArticleFactory, DraftFactory
from tests.magazine.test_cover import admin_form, jpeg_with_exif

ATOM = "{http://www.w3.org/2005/Atom}"


def test_headings_follow_each_other_after_the_title():
    html = render_markdown("Intro.\n\n## Qui vient ?\n\nTexte.\n\n### Les maraîchers\n\nTexte.\n\n# Pratique")
    assert re.findall(r"<(h\d)>", html) == ["h2", "h3", "h2"]
    assert "<h2>Qui vient ?</h2>" in html and "<h3>Les maraîchers</h3>" in html


@pytest.mark.django_db
def test_the_article_page_has_no_heading_level_skipped(client):
    article = ArticleFactory(body="## Qui vient ?\n\nUne quinzaine de producteurs.\n\n### Le vigneron\n\nDu Layon.")
    html = client.get(article.get_absolute_url()).content.decode()
    levels = [int(level) for level in re.findall(r"<h(\d)[ >]", html)]
    assert levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:], strict=False)), levels


@pytest.mark.django_db
def test_the_feeds_carry_the_cover_image(client, settings):
    form = admin_form(SimpleUploadedFile("marche.jpg", jpeg_with_exif(1200, 800), "image/jpeg"), status="published")
    assert form.is_valid(), form.errors
    article = form.save()
    ArticleFactory(title="Sans image")

    channel = ET.fromstring(client.get("/mag/flux.rss").content).find("channel")
    enclosures = {item.findtext("title"): item.find("enclosure") for item in channel.findall("item")}
    assert enclosures["Sans image"] is None
    enclosure = enclosures[article.title]
    assert enclosure.get("url") == settings.SITE_URL + article.cover_thumbnail.url
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) == article.cover_thumbnail.size
    with Image.open(article.cover_thumbnail.path) as image:
        assert max(image.size) == 800

    feed = ET.fromstring(client.get("/mag/flux.atom").content)
    links = [
        link.get("href")
        for entry in feed.findall(f"{ATOM}entry")
        for link in entry.findall(f"{ATOM}link")
        if link.get("rel") == "enclosure"
    ]
    assert links == [settings.SITE_URL + article.cover_thumbnail.url]


@pytest.mark.django_db
def test_the_department_filter_lists_departments_that_have_articles(client, maine_et_loire, gironde):
    ardeche = DepartmentFactory(code="07", name="Ardèche", region=RegionFactory(code="84", name="Auvergne"))
    ArticleFactory(departments=[maine_et_loire])
    DraftFactory(departments=[gironde])
    html = client.get("/mag/").content.decode()
    select = re.search(r'<select[^>]* name="departement"[^>]*>(.*?)</select>', html, re.S)[1]
    assert "Maine-et-Loire" in select
    assert "Gironde" not in select and ardeche.name not in select
    # A department page's link to its Mag still works when the department has national articles only.
    html = client.get("/mag/", {"departement": "07"}).content.decode()
    assert 'value="07" selected' in html
