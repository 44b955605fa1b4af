"""Drafts stay hidden, scheduled articles appear at their date, and pinned notices expire."""

import datetime

import pytest
from django.utils import timezone

from magazine.models import Article, DepartmentNotice
from tests.magazine.factories import ArticleFactory, DepartmentNoticeFactory, DraftFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


class TestPublishedQuerySet:
    def test_it_includes_published_articles_whose_date_has_come(self):
        online = ArticleFactory()
        DraftFactory()
        assert list(Article.objects.published()) == [online]

    def test_a_scheduled_article_is_invisible_before_its_date_and_visible_after(self):
        now = timezone.now()
        scheduled = ArticleFactory(published_at=now + 2 * HOUR)
        assert not Article.objects.published(now).exists()
        assert not scheduled.is_public and scheduled.is_scheduled
        assert list(Article.objects.published(now + 3 * HOUR)) == [scheduled]

    def test_a_draft_with_a_past_date_stays_hidden(self):
        DraftFactory(published_at=timezone.now() - HOUR)
        assert not Article.objects.published().exists()

    def test_publishing_without_a_date_means_now(self):
        article = DraftFactory()
        article.status = Article.Status.PUBLISHED
        article.save()
        assert article.published_at is not None
        assert Article.objects.published().get() == article

    def test_slugs_are_made_from_the_title_and_unique(self):
        first = ArticleFactory(title="Le marché de Noël")
        second = ArticleFactory(title="Le marché de Noël")
        assert first.slug == "le-marche-de-noel"
        assert second.slug == "le-marche-de-noel-2"


class TestDepartmentScope:
    def test_a_department_gets_its_own_and_the_national_articles(self, maine_et_loire, gironde):
        local = ArticleFactory(departments=[maine_et_loire])
        national = ArticleFactory()
        ArticleFactory(departments=[gironde])
        both = ArticleFactory(departments=[gironde, maine_et_loire])
        assert set(Article.objects.for_department(maine_et_loire)) == {local, national, both}
        assert list(Article.objects.national()) == [national]


class TestNotices:
    def test_a_notice_without_end_date_shows_until_removed(self, maine_et_loire):
        notice = DepartmentNoticeFactory(department=maine_et_loire)
        assert list(DepartmentNotice.objects.current()) == [notice]
        notice.delete()
        assert not DepartmentNotice.objects.current().exists()

    def test_a_notice_expires_at_its_end_date(self, maine_et_loire):
        now = timezone.now()
        notice = DepartmentNoticeFactory(department=maine_et_loire, pinned_until=now + HOUR)
        assert list(DepartmentNotice.objects.current(now)) == [notice]
        assert not DepartmentNotice.objects.current(now + 2 * HOUR).exists()

    def test_a_notice_of_a_draft_or_scheduled_article_is_not_shown(self, maine_et_loire):
        DepartmentNoticeFactory(department=maine_et_loire, article=DraftFactory())
        DepartmentNoticeFactory(department=maine_et_loire, article=ArticleFactory(published_at=timezone.now() + HOUR))
        assert not DepartmentNotice.objects.current().exists()
