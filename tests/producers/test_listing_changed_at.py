"""Listing.changed_at, what the feeds and alerts of new and updated listings read: a volunteer's edit in the admin and
a CSV import that update a published listing date it; a save that changes nothing public does not."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from producers import imports
from producers.models import Listing
from tests.factories import CategoryFactory, ListingFactory, UserFactory, delivery_mode
from tests.moderation.test_decisions import listing_admin_data
from tests.producers.test_imports import make_csv

pytestmark = pytest.mark.django_db

LAST_WEEK = timezone.now() - datetime.timedelta(days=7)


@pytest.fixture
def listing(angers):
    listing = ListingFactory(commune=angers, name="Ferme du Chêne", email="prive@example.org")
    listing.categories.add(CategoryFactory(slug="legumes", name="Légumes"))
    Listing.objects.filter(pk=listing.pk).update(published_at=LAST_WEEK, changed_at=LAST_WEEK)
    listing.refresh_from_db()
    return listing


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def edit(client, listing, **changes):
    url = reverse("admin:producers_listing_change", args=[listing.pk])
    response = client.post(url, listing_admin_data(listing, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    listing.refresh_from_db()
    return listing


def test_a_volunteers_edit_of_a_published_listing_is_a_public_change(admin_client, listing):
    before = timezone.now()
    assert edit(admin_client, listing, short_description="Légumes et œufs").changed_at >= before


def test_a_delivery_mode_added_in_the_admin_is_a_public_change(admin_client, listing):
    before = timezone.now()
    data = {
        "deliveries-TOTAL_FORMS": 1,
        "deliveries-0-mode": delivery_mode("on-site").pk,
        "deliveries-0-details": "le samedi",
    }
    assert edit(admin_client, listing, **data).changed_at >= before
    assert listing.deliveries.count() == 1


def test_saving_without_a_change_or_changing_a_private_address_is_not(admin_client, listing):
    assert edit(admin_client, listing).changed_at == LAST_WEEK
    assert edit(admin_client, listing, email="autre@example.org").changed_at == LAST_WEEK


def test_editing_a_pending_listing_dates_nothing(admin_client, angers):
    pending = ListingFactory(commune=angers, status=Listing.Status.PENDING)
    pending.categories.add(CategoryFactory())
    assert edit(admin_client, pending, name="Nouveau nom").changed_at is None


HEADER = ["name", "kind", "commune", "postal_code", "short_description"]


def import_rows(*rows, header=HEADER):
    report = imports.read(make_csv(rows, header=header))
    assert not report.errors, report.errors
    report.save()


def test_an_import_updating_a_published_listing_is_a_public_change(listing):
    before = timezone.now()
    import_rows(["Ferme du Chêne", "producer", "Angers", "49000", "Légumes et œufs"])
    listing.refresh_from_db()
    assert listing.short_description == "Légumes et œufs"
    assert listing.changed_at >= before


def test_an_import_that_changes_nothing_dates_nothing(listing):
    import_rows(["Ferme du Chêne", "producer", "Angers", "49000", listing.short_description])
    listing.refresh_from_db()
    assert listing.changed_at == LAST_WEEK


def test_an_address_a_file_gives_is_private_so_its_import_is_no_public_change(listing):
    # Imported addresses are private unless the file says to show them (producers.imports): the public sees nothing
    # new, as for a private address changed in the admin.
    assert not listing.email_public
    row = ["Ferme du Chêne", "producer", "Angers", "49000", listing.short_description, "autre@example.org"]
    import_rows(row, header=[*HEADER, "email"])
    listing.refresh_from_db()
    assert (listing.email, listing.email_public) == ("autre@example.org", False)
    assert listing.changed_at == LAST_WEEK


def test_an_address_a_file_says_to_hide_is_a_public_change(listing):
    # A file may hide a shown address (never show one: the producer's choice), which changes the public page.
    Listing.objects.filter(pk=listing.pk).update(email_public=True, changed_at=LAST_WEEK)
    before = timezone.now()
    row = ["Ferme du Chêne", "producer", "Angers", "49000", listing.short_description, "prive@example.org", "non"]
    import_rows(row, header=[*HEADER, "email", "email_public"])
    listing.refresh_from_db()
    assert listing.email == "prive@example.org" and not listing.email_public
    assert listing.changed_at >= before
