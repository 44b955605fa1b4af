"""Counts are written as the page's language writes numbers: "98 020 activités" in French (a non-breaking space),
"98,020 listings" in English."""

import pytest
from django.core.cache import cache
from django.test import Client

from producers import counts
from producers.models import Department, Listing
from tests.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


def html(url):
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_pages_department_counts(maine_et_loire):
    Department.objects.filter(pk=maine_et_loire.pk).update(listing_count=98020)
    cache.clear()  # the stored count changed behind the models' back
    assert f'<span class="department-list__count">98{NBSP}020 activités</span>' in html("/")
    assert '<span class="department-list__count">98,020 listings</span>' in html("/en/")


def test_the_department_pages_result_count_and_pages(towns, maine_et_loire, settings):
    settings.LISTINGS_PER_PAGE = 1
    angers = towns["angers"]
    Listing.objects.bulk_create(
        Listing(
            name=f"Ferme {i}",
            slug=f"ferme-{i}",
            commune=angers,
            department=maine_et_loire,
            postal_code="49000",
            status=Listing.Status.PUBLISHED,
        )
        for i in range(1200)
    )
    counts.recount_all()  # as the seeders do after their bulk inserts, which save() no listing
    url = maine_et_loire.get_absolute_url()
    french = html(url)
    assert f"1{NBSP}200 activités" in french
    assert f"Page 1 sur 1{NBSP}200" in french
    english = html(f"/en{url}")
    assert "1,200 listings" in english
    assert "Page 1 of 1,200" in english


def test_the_town_choices_populations(towns):
    gers = DepartmentFactory(code="32", name="Gers")
    CommuneFactory(insee_code="32389", name="Saint-Martin", department=gers, postal_codes="32300", population=1459)
    CommuneFactory(insee_code="49999", name="Saint-Martin", postal_codes="49999", population=58)
    page = html("/recherche/?commune=Saint-Martin")
    assert f"1{NBSP}459 habitants" in page
    assert "58 habitants" in page
