"""The Mag's sitemap section lists published articles only."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.magazine.factories import ArticleFactory, DraftFactory

pytestmark = pytest.mark.django_db


def test_the_sitemap_lists_published_articles_only(client, settings):
    settings.SITE_URL = "https://localdir.example"
    cache.clear()
    online = ArticleFactory(title="En ligne")
    draft = DraftFactory(title="Brouillon")
    scheduled = ArticleFactory(title="Programmé", published_at=timezone.now() + datetime.timedelta(days=1))
    response = client.get("/sitemap-mag.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert f"<loc>https://localdir.example{online.get_absolute_url()}</loc>" in xml
    assert draft.get_absolute_url() not in xml
    assert scheduled.get_absolute_url() not in xml
    cache.clear()
