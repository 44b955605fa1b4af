"""The taxonomy on the English pages: categories and delivery modes in English, kinds too; French at the root."""

import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from producers.models import Category, DeliveryMode
from tests.factories import CategoryFactory, ListingFactory, delivery_mode
from tests.producers.map_data import popups

pytestmark = pytest.mark.django_db


@pytest.fixture
def honey_shop(towns):
    listing = ListingFactory(name="La Ruche d'Avrillé", kind="shop", categories=[Category.objects.get(slug="miel")])
    listing.deliveries.create(mode=delivery_mode("shipping"))
    return listing


def en(url):
    """The English address of a French path (URLs are reversed in whatever language the last request left on)."""
    return "/en" + url.removeprefix("/en")


def fr(url):
    return url.removeprefix("/en")


def options(html, name):
    select = re.search(rf'<select[^>]* name="{name}"[^>]*>(.*?)</select>', html, re.S)[1]
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_every_seeded_name_has_its_english_translation():
    assert not Category.objects.filter(name_en="").exists()
    assert not DeliveryMode.objects.filter(name_en="").exists()
    assert Category.objects.get(slug="miel").name_en == "Honey and hive products"


def test_the_english_department_page_names_the_taxonomy_in_english(client, maine_et_loire, honey_shop):
    html = client.get(en(maine_et_loire.get_absolute_url())).content.decode()
    assert "Honey and hive products" in options(html, "category")
    assert "Shipping by post" in options(html, "delivery")
    assert "Shop" in options(html, "kind")
    card = re.search(r'<li class="card">.*?</li>', html, re.S)[0]
    assert '<span class="tag">Honey and hive products</span>' in card
    assert "Shop ·" in card
    assert "Miel" not in html and "Envoi postal" not in html

    html = client.get(fr(maine_et_loire.get_absolute_url())).content.decode()
    assert "Miel et produits de la ruche" in options(html, "category")
    assert "Envoi postal" in options(html, "delivery")
    assert "Commerce" in options(html, "kind")


def test_the_english_listing_page_and_map_too(client, maine_et_loire, honey_shop):
    html = client.get(en(honey_shop.get_absolute_url())).content.decode()
    assert '<span class="tag">Honey and hive products</span>' in html
    assert "<strong>Shipping by post</strong>" in html
    url = reverse("producers:department_geojson", kwargs={"code": "49", "slug": maine_et_loire.slug})
    [popup] = popups(json.loads(client.get(en(url)).content)).values()
    assert popup["categories"] == "Honey and hive products"


def test_a_name_not_yet_translated_shows_in_french(client, maine_et_loire, towns):
    ListingFactory(categories=[CategoryFactory(name="Escargots", slug="escargots")])
    html = client.get(en(maine_et_loire.get_absolute_url())).content.decode()
    assert '<span class="tag">Escargots</span>' in html


def test_the_english_submission_form_lists_delivery_modes_in_english(client):
    html = client.get(en(reverse("moderation:submit"))).content.decode()
    assert "Shipping by post" in html and "Envoi postal" not in html
    assert "Honey and hive products" in html


def test_english_costs_no_extra_query(client, maine_et_loire, towns):
    categories = list(Category.objects.all()[:3])
    for i in range(12):
        listing = ListingFactory(categories=categories[: i % 3 + 1])
        listing.deliveries.create(mode=delivery_mode("markets"))
    counts = {}
    for url in [fr(maine_et_loire.get_absolute_url()), fr(listing.get_absolute_url())]:
        for language in [fr, en]:
            cache.clear()  # the filters' choices are cached: each language pays for them once
            with CaptureQueriesContext(connection) as queries:
                response = client.get(language(url))
            assert response.status_code == 200
            assert response.content.decode().count('class="tag"') >= 1
            counts[language] = len(queries)
        assert counts[en] == counts[fr], url
