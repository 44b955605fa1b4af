"""The category filter finds a listing by its categories whatever changed them: the admin, an approved edit, the
taxonomy's side (a category's listings, a category deleted), a save from an instance read before the change, two
changes at once. On PostgreSQL it reads the ids stored on the listing's row (migration 0020), kept by the database;
the imports, seed_demo and the benchmark's seeder are checked in their own tests."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from moderation.models import EditToken, Revision
from producers.models import Listing
from tests.category_filter import assert_category_filter_agrees
from tests.factories import CategoryFactory, CommuneFactory, ListingFactory, UserFactory
from tests.moderation.concurrency import at_once
from tests.moderation.test_decisions import listing_admin_data
from tests.moderation.test_edit_link import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def angers(db):
    return CommuneFactory()


@pytest.fixture
def veg(db):
    return CategoryFactory(slug="legumes", name="Légumes")


@pytest.fixture
def honey(db):
    return CategoryFactory(slug="miel", name="Miel")


def found_in(category):
    return set(Listing.objects.in_category(category.pk).values_list("name", flat=True))


def test_a_new_listing_is_found_by_its_categories(angers, veg, honey):
    ListingFactory(name="Ferme", commune=angers, categories=[veg, honey])
    ListingFactory(name="Rucher", commune=angers, categories=[honey])
    ListingFactory(name="Sans catégorie", commune=angers, categories=[])
    assert found_in(veg) == {"Ferme"}
    assert found_in(honey) == {"Ferme", "Rucher"}
    assert_category_filter_agrees()


def test_an_edit_in_the_admin(client, angers, veg, honey):
    listing = ListingFactory(name="Ferme", commune=angers, categories=[veg])
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:producers_listing_change", args=[listing.pk])
    response = client.post(url, listing_admin_data(listing, categories=[honey.pk]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert found_in(veg) == set()
    assert found_in(honey) == {"Ferme"}
    assert_category_filter_agrees()


def test_an_approved_edit(client, angers, veg, honey):
    listing = ListingFactory(name="Ferme", commune=angers, email="f@example.org", categories=[veg])
    client.post(f"/modifier/{EditToken.issue(listing)}/", form_data(listing, categories=["legumes", "miel"]))
    revision = Revision.objects.get()
    assert found_in(honey) == set()  # waiting for a volunteer
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    client.post(reverse("admin:moderation_decide", args=["revision", revision.pk]), {"action": "approve"})
    revision.refresh_from_db()
    assert revision.status == Revision.Status.APPROVED
    assert found_in(veg) == found_in(honey) == {"Ferme"}
    assert_category_filter_agrees()


def test_from_the_category_side_and_a_category_deleted(angers, veg, honey):
    farm = ListingFactory(name="Ferme", commune=angers, categories=[veg])
    hives = ListingFactory(name="Rucher", commune=angers, categories=[])
    honey.listings.add(farm, hives)
    assert found_in(honey) == {"Ferme", "Rucher"}
    veg.listings.clear()
    assert found_in(veg) == set()
    honey.listings.remove(hives)
    assert found_in(honey) == {"Ferme"}
    assert_category_filter_agrees()
    honey.delete()
    assert_category_filter_agrees()
    farm.categories.add(veg)
    assert found_in(veg) == {"Ferme"}


def test_a_save_from_an_instance_read_before_the_categories_changed(angers, veg, honey):
    listing = ListingFactory(name="Ferme", commune=angers, categories=[veg])
    read_before = Listing.objects.get(pk=listing.pk)
    listing.categories.set([honey])
    read_before.short_description = "Légumes et miel"
    read_before.save()
    assert found_in(veg) == set()
    assert found_in(honey) == {"Ferme"}
    assert_category_filter_agrees()


@pytest.mark.django_db(transaction=True)
def test_two_changes_at_once_are_both_kept(angers, veg, honey):
    listing = ListingFactory(name="Ferme", commune=angers, categories=[])
    others = [CategoryFactory() for _ in range(4)]

    def add(category):
        def call():
            with transaction.atomic():
                Listing.objects.get(pk=listing.pk).categories.add(category)
            return "added"

        return call

    assert at_once(*(add(category) for category in [veg, honey, *others])) == ["added"] * 6
    assert found_in(veg) == found_in(honey) == {"Ferme"}
    assert assert_category_filter_agrees()[listing.pk] == {veg.pk, honey.pk, *(c.pk for c in others)}


def test_the_daily_recount_repairs_ids_stored_wrong(angers, veg, honey):
    # Triggers keep the ids; a restore or a COPY with them disabled does not: the daily command writes them again.
    ListingFactory(name="Ferme", commune=angers, categories=[veg, honey])
    ListingFactory(name="Rucher", commune=angers, categories=[honey])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE producers_listing SET category_ids = '{}' WHERE name = 'Ferme'")
        assert found_in(veg) == set()  # what a shopper saw
    out = StringIO()
    call_command("recount_listings", stdout=out)
    assert found_in(veg) == {"Ferme"}
    assert found_in(honey) == {"Ferme", "Rucher"}
    assert_category_filter_agrees()
    call_command("recount_listings", stdout=out)  # nothing more to repair
    assert out.getvalue().count("category ids corrected") == (connection.vendor == "postgresql")


def test_the_department_index_holds_the_ids():
    """A later migration rebuilding the index from the model (which knows it as INCLUDE (id)) would drop the ids,
    and category counts would read the table again."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'listing_published_dept_pos'")
            assert "INCLUDE (id, category_ids)" in cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'listing_published_dept_pos'")
            assert '"department_id", "latitude", "longitude"' in cursor.fetchone()[0]
