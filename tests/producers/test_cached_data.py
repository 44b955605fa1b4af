"""What every directory page shows and seldom changes (filter choices, departments and their counts, a
department's map centre: producers.reference) is cached, and shows a change as soon as it is committed."""

import re

import pytest
from django.test import Client

from producers import counts
from producers.models import Category, Commune, Department, Listing
from tests.factories import CategoryFactory, CommuneFactory, ListingFactory, LocalCurrencyFactory

pytestmark = pytest.mark.django_db


def home_count(department):
    """The count the home page shows beside the department, as a shopper reads it."""
    html = Client().get("/").content.decode()
    match = re.search(
        rf'{re.escape(department.name)}</a>\s*<span class="department-list__count">(\d+) activités?</span>', html
    )
    assert match, html
    return int(match.group(1))


def test_the_home_count_follows_publications_and_withdrawals(towns, maine_et_loire, django_capture_on_commit_callbacks):
    assert home_count(maine_et_loire) == 0
    with django_capture_on_commit_callbacks(execute=True):
        first, second = ListingFactory.create_batch(2)
        ListingFactory(status=Listing.Status.PENDING)
    assert home_count(maine_et_loire) == 2
    with django_capture_on_commit_callbacks(execute=True):
        first.status = Listing.Status.UNPUBLISHED
        first.save()
    assert home_count(maine_et_loire) == 1
    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert home_count(maine_et_loire) == 0
    with django_capture_on_commit_callbacks(execute=True):
        first.status = Listing.Status.PUBLISHED
        first.save()
    assert home_count(maine_et_loire) == 1


def test_a_listing_moved_to_another_department_is_counted_there(
    towns, maine_et_loire, django_capture_on_commit_callbacks
):
    gironde = towns["bordeaux"].department
    with django_capture_on_commit_callbacks(execute=True):
        listing = ListingFactory(commune=towns["angers"])
    assert (home_count(maine_et_loire), home_count(gironde)) == (1, 0)
    with django_capture_on_commit_callbacks(execute=True):
        listing.commune = towns["bordeaux"]
        listing.postal_code = "33000"
        listing.save()
    assert (home_count(maine_et_loire), home_count(gironde)) == (0, 1)
    communes = dict(Commune.objects.values_list("insee_code", "listing_count"))
    assert (communes["49007"], communes["33063"]) == (0, 1)


def test_counts_are_stored_per_department_and_commune(towns, maine_et_loire, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ListingFactory.create_batch(3, commune=towns["angers"])
        ListingFactory(commune=towns["cholet"])
        ListingFactory(commune=towns["cholet"], status=Listing.Status.REJECTED)
    assert Department.objects.get(code="49").listing_count == 4
    assert Commune.objects.get(insee_code="49007").listing_count == 3
    assert Commune.objects.get(insee_code="49099").listing_count == 1
    assert Commune.objects.get(insee_code="49015").listing_count == 0


def test_the_home_page_counts_nothing_itself(client, towns, maine_et_loire, django_assert_max_num_queries):
    ListingFactory.create_batch(3)
    client.get("/")  # the departments are cached from now on
    with django_assert_max_num_queries(2) as queries:  # the latest listings and their categories
        assert client.get("/").status_code == 200
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


def latest_listings():
    """The names in the home page's "Latest listings", as a shopper reads them."""
    html = Client().get("/").content.decode()
    section = re.search(r'<h2 id="latest-title">.*?</section>', html, re.S).group(0)
    return re.findall(r'<h3 class="card__title"><a[^>]*>([^<]*)</a>', section)


def test_the_latest_listings_follow_publications_at_once(towns, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ListingFactory(name="Ferme des Aulnes")
        newcomer = ListingFactory(name="Rucher du Lac", status=Listing.Status.PENDING)
    assert latest_listings() == ["Ferme des Aulnes"]  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        newcomer.status = Listing.Status.PUBLISHED
        newcomer.save()
    assert latest_listings() == ["Rucher du Lac", "Ferme des Aulnes"]
    with django_capture_on_commit_callbacks(execute=True):
        newcomer.name = "Rucher du Grand Lac"
        newcomer.save()
    assert latest_listings() == ["Rucher du Grand Lac", "Ferme des Aulnes"]
    with django_capture_on_commit_callbacks(execute=True):
        newcomer.status = Listing.Status.UNPUBLISHED
        newcomer.save()
    assert latest_listings() == ["Ferme des Aulnes"]


def category_options(department):
    html = Client().get(department.get_absolute_url()).content.decode()
    select = re.search(r'<select id="id_category" name="category">.*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def test_a_new_category_is_offered_once_saved(towns, maine_et_loire, django_capture_on_commit_callbacks):
    before = category_options(maine_et_loire)
    assert ("miel", "Miel et produits de la ruche") in before
    with django_capture_on_commit_callbacks(execute=True):
        CategoryFactory(name="Escargots", slug="escargots", position=1000)
    assert category_options(maine_et_loire) == [*before, ("escargots", "Escargots")]
    with django_capture_on_commit_callbacks(execute=True):
        Category.objects.get(slug="escargots").delete()
    assert category_options(maine_et_loire) == before


def test_a_category_renamed_is_renamed_in_the_filters(towns, maine_et_loire, django_capture_on_commit_callbacks):
    assert ("miel", "Miel et produits de la ruche") in category_options(maine_et_loire)
    with django_capture_on_commit_callbacks(execute=True):
        honey = Category.objects.get(slug="miel")
        honey.name = "Miels et ruches"
        honey.save()
    assert ("miel", "Miels et ruches") in category_options(maine_et_loire)


def test_a_currency_offered_where_it_starts_circulating(towns, maine_et_loire, django_capture_on_commit_callbacks):
    muse = LocalCurrencyFactory()
    url = maine_et_loire.get_absolute_url()
    assert 'value="la-muse"' not in Client().get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        muse.departments.add(maine_et_loire)
    assert 'value="la-muse"' in Client().get(url).content.decode()


def test_filtering_by_a_cached_choice_filters(client, towns, maine_et_loire):
    ListingFactory(name="Rucher du Loir", categories=[Category.objects.get(slug="miel")])
    ListingFactory(name="Ferme du Chêne", categories=[Category.objects.get(slug="produits-laitiers-fromages")])
    html = client.get(maine_et_loire.get_absolute_url(), {"category": "miel"}).content.decode()
    assert "Rucher du Loir" in html
    assert "Ferme du Chêne" not in html
    response = client.get(maine_et_loire.get_absolute_url(), {"category": "cire"})
    assert response.status_code == 200
    assert 'id="category-error"' in response.content.decode()


def test_the_department_map_opens_on_its_communes(client, towns, maine_et_loire):
    CommuneFactory(insee_code="49099")  # Cholet, already there
    html = client.get(maine_et_loire.get_absolute_url()).content.decode()
    communes = Commune.objects.filter(department=maine_et_loire)
    latitude = sum(c.latitude for c in communes) / len(communes)
    longitude = sum(c.longitude for c in communes) / len(communes)
    assert f'data-center="{latitude:f},{longitude:f}"' in html


def test_recounting_everything_repairs_the_stored_counts(towns, maine_et_loire):
    ListingFactory.create_batch(2, commune=towns["cholet"])
    ListingFactory(commune=towns["bordeaux"], status=Listing.Status.PENDING)
    # Wrong, as after bulk inserts, a crash or a bulk update: Cholet's and its department's too low, Angers' too high.
    Commune.objects.update(listing_count=0)
    Department.objects.update(listing_count=0)
    Commune.objects.filter(insee_code="49007").update(listing_count=7)
    counts.recount_all()
    stored = dict(Commune.objects.values_list("insee_code", "listing_count"))
    assert (stored["49099"], stored["49007"], stored["33063"]) == (2, 0, 0)
    assert dict(Department.objects.values_list("code", "listing_count")) == {"49": 2, "33": 0}


def test_the_unfiltered_form_is_cached_but_never_shown_for_a_query(towns, maine_et_loire):
    url = maine_et_loire.get_absolute_url()
    for _ in range(2):  # rendered, then from the cache
        html = Client().get(url).content.decode()
        assert '<option value="miel">Miel et produits de la ruche</option>' in html
        assert 'value="miel" selected' not in html
        filtered = Client().get(url, {"category": "miel"}).content.decode()
        assert '<option value="miel" selected>' in filtered
        english = Client().get(f"/en{url}").content.decode()
        assert '<label for="id_category">Category</label>' in english
        assert '<label for="id_category">Catégorie</label>' in html
