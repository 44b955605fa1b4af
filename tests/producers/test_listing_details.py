"""A listing's page reads its links to categories, delivery modes and currencies afresh, and their names from the
cached taxonomy (producers.details): the page shows what the database holds, in the site's order, and a renamed
category, mode or currency on the next page."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from producers.models import Category, DeliveryMode, LocalCurrency
from producers.models.closures import paris_today
from tests.factories import CategoryFactory, ListingFactory, LocalCurrencyFactory, delivery_mode
from tests.moderation.test_photos import jpeg

pytestmark = pytest.mark.django_db


def page(listing, language=""):
    response = Client().get(f"{language}{listing.get_absolute_url()}")
    assert response.status_code == 200
    return response.content.decode()


def tags(html):
    return re.findall(r'<span class="tag">([^<]*)</span>', html)


def section(html, title_id):
    match = re.search(rf'<h2 id="{title_id}">.*?</section>', html, re.S)
    return match.group(0) if match else ""


def items(html, title_id):
    return [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", section(html, title_id))]


@pytest.fixture
def listing(towns):
    listing = ListingFactory(name="Ferme des Aulnes")
    listing.categories.set(
        [
            CategoryFactory(name="Zeste", slug="zeste", position=1),
            CategoryFactory(name="Abricots", slug="abricots", position=2),
            CategoryFactory(name="Miel tardif", slug="miel-tardif", position=2),
        ]
    )
    listing.deliveries.create(mode=delivery_mode("markets"), details="le samedi à Angers")
    listing.deliveries.create(mode=delivery_mode("on-site"))
    listing.currencies.add(
        LocalCurrencyFactory(name="Zinnia", slug="zinnia"),
        LocalCurrencyFactory(name="Eusko", slug="eusko", website="https://www.euskalmoneta.org/"),
    )
    return listing


def test_the_related_rows_come_in_the_sites_order(listing):
    html = page(listing)
    # the taxonomy's order (position, then name), as listing.categories.all() gives it
    expected = ["Zeste", "Abricots", "Miel tardif"]
    assert tags(html) == [category.name for category in listing.categories.all()] == expected
    # delivery modes in their order, each with its details
    modes = [delivery.mode.name for delivery in listing.deliveries.all()]
    assert [item.split(" : ")[0] for item in items(html, "delivery-title")] == modes
    assert f"<strong>{delivery_mode('markets').name}</strong> : le samedi à Angers" in html
    # currencies by name, with a link when they have a website
    assert items(html, "currency-title") == ["Eusko", "Zinnia"]
    assert '<a href="https://www.euskalmoneta.org/" rel="noopener">Eusko</a>' in html


def test_the_english_page_shows_the_english_names(listing):
    category = Category.objects.get(slug="zeste")
    category.name_en = "Zest"
    category.save()
    html = page(listing, "/en")
    assert tags(html) == ["Zest", "Abricots", "Miel tardif"]
    assert delivery_mode("on-site").name_en in items(html, "delivery-title")


def test_a_listing_without_links_shows_no_empty_section(towns):
    html = page(ListingFactory(name="Atelier nu"))
    assert "<h1>Atelier nu</h1>" in html
    assert tags(html) == []
    assert 'id="delivery-title"' not in html
    assert 'id="currency-title"' not in html


def test_links_added_or_removed_show_at_once(listing):
    """The links are never cached: no signal is needed for a producer's new category to show."""
    assert "Abricots" in tags(page(listing))
    listing.categories.remove(Category.objects.get(slug="abricots"))
    listing.categories.add(Category.objects.get(slug="miel"))
    listing.currencies.remove(LocalCurrency.objects.get(slug="zinnia"))
    listing.deliveries.filter(mode__code="markets").delete()
    html = page(listing)
    assert tags(html) == ["Zeste", "Miel tardif", "Miel et produits de la ruche"]
    assert items(html, "currency-title") == ["Eusko"]
    assert "le samedi à Angers" not in html


def test_a_renamed_category_shows_on_the_next_page(listing, django_capture_on_commit_callbacks):
    assert "Zeste" in tags(page(listing))
    with django_capture_on_commit_callbacks(execute=True):
        category = Category.objects.get(slug="zeste")
        category.name = "Zestes et agrumes"
        category.save()
    assert tags(page(listing))[0] == "Zestes et agrumes"


def test_a_renamed_delivery_mode_shows_on_the_next_page(listing, django_capture_on_commit_callbacks):
    page(listing)
    with django_capture_on_commit_callbacks(execute=True):
        mode = DeliveryMode.objects.get(code="markets")
        mode.name = "Sur les marchés de plein vent"
        mode.save()
    assert "<strong>Sur les marchés de plein vent</strong> : le samedi à Angers" in page(listing)


def test_a_currencys_new_website_shows_on_the_next_page(listing, django_capture_on_commit_callbacks):
    assert '<a href="https://zinnia.example/"' not in page(listing)
    with django_capture_on_commit_callbacks(execute=True):
        currency = LocalCurrency.objects.get(slug="zinnia")
        currency.website = "https://zinnia.example/"
        currency.save()
    assert '<a href="https://zinnia.example/" rel="noopener">Zinnia</a>' in page(listing)


def test_photos_and_closures_show(listing):
    listing.photos.create(image=ContentFile(jpeg(), name="b.jpg"), alt_text="Le verger", position=2)
    listing.photos.create(image=ContentFile(jpeg(), name="a.jpg"), alt_text="La grange", position=1)
    today = paris_today()
    listing.closures.create(starts_on=today - datetime.timedelta(days=3), ends_on=today - datetime.timedelta(days=1))
    listing.closures.create(starts_on=today + datetime.timedelta(days=5), ends_on=today + datetime.timedelta(days=6))
    html = page(listing)
    assert re.findall(r'alt="(La grange|Le verger)"', html) == ["La grange", "Le verger"]
    assert '<meta property="og:image:alt" content="La grange">' in html
    assert html.count("Closed from") + html.count("Fermé du") == 1  # the closure that is over is not shown
