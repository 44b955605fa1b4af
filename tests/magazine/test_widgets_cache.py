"""The Mag's articles and notices on the directory pages are rendered once and cached (magazine_tags): an article
published, withdrawn or moved, or a notice pinned or removed, shows on the next page as soon as it is committed."""

import datetime
import time

import pytest
from django.test import Client
from django.utils import timezone

from magazine.models import Article
from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory
from tests.magazine.factories import ArticleFactory, DepartmentNoticeFactory, DraftFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(db):
    CommuneFactory()
    return DepartmentFactory()


def page(url):
    return Client().get(url).content.decode()


def test_an_article_published_shows_at_once(department, django_capture_on_commit_callbacks):
    url = department.get_absolute_url()
    draft = DraftFactory(title="Les marchés de Noël", departments=[department])
    assert "Les marchés de Noël" not in page(url)
    assert "Les marchés de Noël" not in page("/")
    with django_capture_on_commit_callbacks(execute=True):
        draft.status = Article.Status.PUBLISHED
        draft.save()
    assert "Les marchés de Noël" in page(url)
    assert "Les marchés de Noël" in page("/")
    with django_capture_on_commit_callbacks(execute=True):
        draft.status = Article.Status.DRAFT
        draft.save()
    assert "Les marchés de Noël" not in page(url)


def test_an_article_moved_to_another_department_leaves_the_page(department, django_capture_on_commit_callbacks):
    gironde = DepartmentFactory(code="33", name="Gironde", region=RegionFactory(code="75", name="Nouvelle-Aquitaine"))
    url = department.get_absolute_url()
    article = ArticleFactory(title="La foire aux vins", departments=[department])
    assert "La foire aux vins" in page(url)
    with django_capture_on_commit_callbacks(execute=True):
        article.departments.set([gironde])
    assert "La foire aux vins" not in page(url)


def test_a_notice_pinned_and_removed(department, django_capture_on_commit_callbacks):
    url = department.get_absolute_url()
    article = ArticleFactory(title="Inondations : les producteurs touchés")
    assert 'class="notice"' not in page(url)
    with django_capture_on_commit_callbacks(execute=True):
        notice = DepartmentNoticeFactory(article=article, department=department)
    assert 'class="notice"' in page(url)
    with django_capture_on_commit_callbacks(execute=True):
        notice.delete()
    assert 'class="notice"' not in page(url)


def test_a_notice_past_its_end_date_goes_within_a_minute(department, monkeypatch):
    notice = DepartmentNoticeFactory(
        department=department, pinned_until=timezone.now() + datetime.timedelta(seconds=30)
    )
    url = department.get_absolute_url()
    assert 'class="notice"' in page(url)
    # A minute later, for the notice's end date and for the cache's expiry (DATA_SECONDS).
    later = timezone.now() + datetime.timedelta(seconds=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 61)
    assert notice.pinned_until < timezone.now()
    assert 'class="notice"' not in page(url)
