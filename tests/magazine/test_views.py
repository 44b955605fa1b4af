"""The Mag's public pages, and its blocks on the home and department pages: only published articles show."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from magazine import views
from producers.models import Listing
from tests.factories import CommuneFactory, ListingFactory
from tests.magazine.factories import ArticleFactory, DepartmentNoticeFactory, DraftFactory, category

pytestmark = pytest.mark.django_db

INDEX = "/mag/"


def scheduled(**kwargs):
    return ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=1), **kwargs)


def html_of(client, url, data=None):
    response = client.get(url, data or {})
    assert response.status_code == 200
    return response.content.decode()


class TestArticleList:
    def test_it_lists_published_articles_only(self, client):
        ArticleFactory(title="En ligne")
        DraftFactory(title="Brouillon")
        scheduled(title="Programmé")
        html = html_of(client, INDEX)
        assert "En ligne" in html
        assert "Brouillon" not in html
        assert "Programmé" not in html

    def test_it_is_paginated(self, client, monkeypatch):
        monkeypatch.setattr(views, "ARTICLES_PER_PAGE", 2)
        for day in range(3):
            ArticleFactory(title=f"Jour {day}", published_at=timezone.now() - datetime.timedelta(days=day + 1))
        first, second = html_of(client, INDEX), html_of(client, INDEX, {"page": 2})
        assert "Jour 0" in first and "Jour 1" in first and "Jour 2" not in first
        assert "Jour 2" in second and 'rel="prev"' in second

    def test_it_filters_by_category(self, client):
        ArticleFactory(title="Portrait de Jeanne", categories=[category("portraits")])
        ArticleFactory(title="Marché de Noël", categories=[category("evenements")])
        html = html_of(client, INDEX, {"categorie": "portraits"})
        assert "Portrait de Jeanne" in html
        assert "Marché de Noël" not in html

    def test_it_filters_by_department_with_the_national_articles(self, client, maine_et_loire, gironde):
        ArticleFactory(title="À Angers", departments=[maine_et_loire])
        ArticleFactory(title="Partout en France")
        ArticleFactory(title="À Bordeaux", departments=[gironde])
        html = html_of(client, INDEX, {"departement": "49"})
        assert "À Angers" in html and "Partout en France" in html
        assert "À Bordeaux" not in html
        assert 'href="/mag/departements/49/flux.rss"' in html

    def test_unknown_filter_values_are_ignored(self, client):
        ArticleFactory(title="En ligne")
        assert "En ligne" in html_of(client, INDEX, {"categorie": "inconnue", "departement": "zz", "page": "x"})

    def test_it_links_its_feeds(self, client):
        html = html_of(client, INDEX)
        assert '<link rel="alternate" type="application/rss+xml"' in html
        assert 'href="/mag/flux.rss"' in html and 'href="/mag/flux.atom"' in html


class TestArticlePage:
    def test_it_shows_the_article(self, client, maine_et_loire):
        article = ArticleFactory(
            title="La ferme des Oliviers",
            body="## Une histoire\n\nDes **olives** <script>alert(1)</script>",
            author_name="Léa Dupont",
            departments=[maine_et_loire],
            categories=[category("portraits")],
        )
        html = html_of(client, article.get_absolute_url())
        assert "<h1>La ferme des Oliviers</h1>" in html
        assert "<strong>olives</strong>" in html
        assert "<script>alert" not in html
        assert "Léa Dupont" in html
        assert 'href="/mag/departements/49/flux.rss"' in html

    @pytest.mark.parametrize("make", [DraftFactory, scheduled])
    def test_drafts_and_scheduled_articles_are_not_found(self, client, make):
        article = make()
        assert client.get(article.get_absolute_url()).status_code == 404

    def test_a_scheduled_article_appears_at_its_date(self, client):
        article = ArticleFactory(published_at=timezone.now() + datetime.timedelta(seconds=1))
        assert client.get(article.get_absolute_url()).status_code == 404
        type(article).objects.filter(pk=article.pk).update(published_at=timezone.now() - datetime.timedelta(seconds=1))
        assert client.get(article.get_absolute_url()).status_code == 200

    def test_it_shows_linked_published_listings_with_their_open_state(self, client, angers):
        shown = ListingFactory(name="Ferme publiée", opening_hours="24/7")
        hidden = ListingFactory(name="Ferme en attente", status=Listing.Status.PENDING)
        article = ArticleFactory(listings=[shown, hidden])
        html = html_of(client, article.get_absolute_url())
        assert "Ferme publiée" in html
        assert "Ferme en attente" not in html
        assert "open-state--open" in html

    def test_it_suggests_related_published_articles(self, client, maine_et_loire, gironde):
        portraits, events = category("portraits"), category("evenements")
        article = ArticleFactory(categories=[portraits], departments=[maine_et_loire])
        ArticleFactory(title="Même catégorie", categories=[portraits], departments=[gironde])
        ArticleFactory(title="Même département", categories=[events], departments=[maine_et_loire])
        ArticleFactory(title="Sans rapport", categories=[events], departments=[gironde])
        DraftFactory(title="Brouillon lié", categories=[portraits])
        html = html_of(client, article.get_absolute_url())
        assert "Même catégorie" in html and "Même département" in html
        assert "Sans rapport" not in html and "Brouillon lié" not in html


class TestOnOtherPages:
    def test_the_home_page_shows_the_latest_published_articles(self, client):
        ArticleFactory(title="Article en ligne")
        DraftFactory(title="Article brouillon")
        scheduled(title="Article programmé")
        html = html_of(client, "/")
        assert "Article en ligne" in html
        assert "Article brouillon" not in html and "Article programmé" not in html
        assert 'href="/mag/flux.rss"' in html

    def test_a_department_page_shows_its_own_and_national_articles(self, client, maine_et_loire, gironde):
        ArticleFactory(title="À Angers", departments=[maine_et_loire])
        ArticleFactory(title="Partout en France")
        ArticleFactory(title="À Bordeaux", departments=[gironde])
        DraftFactory(title="Brouillon angevin", departments=[maine_et_loire])
        html = html_of(client, maine_et_loire.get_absolute_url())
        assert "À Angers" in html and "Partout en France" in html
        assert "À Bordeaux" not in html and "Brouillon angevin" not in html
        assert 'href="/mag/departements/49/flux.atom"' in html

    def test_a_department_page_shows_its_current_notices(self, client, maine_et_loire, gironde):
        now = timezone.now()
        DepartmentNoticeFactory(department=maine_et_loire, article=ArticleFactory(title="Marché annulé"))
        DepartmentNoticeFactory(
            department=maine_et_loire,
            article=ArticleFactory(title="Avis expiré"),
            pinned_until=now - datetime.timedelta(minutes=1),
        )
        DepartmentNoticeFactory(department=maine_et_loire, article=DraftFactory(title="Avis brouillon"))
        DepartmentNoticeFactory(department=gironde, article=ArticleFactory(title="Avis girondin"))
        html = html_of(client, maine_et_loire.get_absolute_url())
        notices = html.split('<section class="notices"')[1].split("</section>")[0]
        assert "Marché annulé" in notices
        assert "Avis expiré" not in notices
        assert "Avis brouillon" not in notices and "Avis girondin" not in notices


class TestQueryCounts:
    """/mag/ and an article page run the same number of queries whatever the number of articles and listings.

    Each test also checks that both sizes show what they count, and more of it in the larger.
    """

    def get(self, client, url):
        """(number of queries, the page's HTML)"""
        cache.clear()  # what a page costs with nothing cached (the Mag's widgets are: magazine_tags)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    def measure(self, client, *urls):
        """(queries per URL), (article cards per URL)"""
        pages = [self.get(client, url) for url in urls]
        return tuple(q for q, _ in pages), tuple(html.count("article-card") for _, html in pages)

    def test_article_list(self, client, maine_et_loire):
        urls = INDEX, INDEX + "?departement=49&categorie=portraits"
        ArticleFactory.create_batch(2, categories=[category("portraits")], departments=[maine_et_loire])
        small, small_cards = self.measure(client, *urls)
        ArticleFactory.create_batch(
            10, categories=[category("portraits"), category("pratique")], departments=[maine_et_loire]
        )
        large, large_cards = self.measure(client, *urls)
        assert (small_cards, large_cards) == ((2, 2), (12, 12))
        assert small == large

    def test_article_page(self, client, maine_et_loire):
        CommuneFactory()
        article = ArticleFactory(
            categories=[category("portraits")], departments=[maine_et_loire], listings=[ListingFactory()]
        )
        ArticleFactory(categories=[category("portraits")])
        small, html = self.get(client, article.get_absolute_url())
        small_rows = html.count('<li class="card">'), html.count("article-card"), html.count('class="tag"')
        for _ in range(8):
            article.listings.add(ListingFactory(categories=[]))
        article.categories.add(category("pratique"), category("evenements"))
        ArticleFactory.create_batch(3, categories=[category("pratique"), category("portraits")])
        large, html = self.get(client, article.get_absolute_url())
        large_rows = html.count('<li class="card">'), html.count("article-card"), html.count('class="tag"')
        # Listings mentioned, related articles, category tags (the article's and the related ones').
        assert small_rows[:2] == (1, 1) and small_rows[2] > 0
        assert large_rows[:2] == (9, 3) and large_rows[2] > small_rows[2]
        assert large == small

    def test_department_page_with_articles_and_notices(self, client, maine_et_loire):
        CommuneFactory()
        url = maine_et_loire.get_absolute_url()
        DepartmentNoticeFactory(department=maine_et_loire)
        ArticleFactory(categories=[category("portraits")], departments=[maine_et_loire])
        small, html = self.get(client, url)
        small_rows = html.count('class="notice"'), html.count("article-card")
        DepartmentNoticeFactory.create_batch(3, department=maine_et_loire)
        ArticleFactory.create_batch(5, categories=[category("portraits")], departments=[maine_et_loire])
        large, html = self.get(client, url)
        # Notices pinned; the Mag's latest articles (the notices' articles are national ones, shown too), up to 4.
        assert (small_rows, (html.count('class="notice"'), html.count("article-card"))) == ((1, 2), (4, 4))
        assert large == small
