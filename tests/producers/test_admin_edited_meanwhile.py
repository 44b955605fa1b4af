"""Two volunteers on the same listing's admin page, or one whose page is older than an approved edit: the second save
no longer puts back what its page was built with. The fields changed meanwhile are told, next to each, with what they
now hold; nothing is saved; the page shown then saves, knowingly."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from producers.admin import ListingAdmin
from producers.models import Listing
from tests.factories import CategoryFactory, CommuneFactory, ListingFactory, UserFactory
from tests.moderation.test_decisions import listing_admin_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(angers):
    listing = ListingFactory(
        commune=angers, name="Ferme du Chêne", short_description="Légumes", phone="+33241000000", email="a@example.org"
    )
    listing.categories.add(CategoryFactory(slug="legumes", name="Légumes"))
    return listing


def volunteer_client(client_class, username):
    client = client_class()
    client.force_login(UserFactory(username=username, is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def camille(client):
    return volunteer_client(type(client), "camille")


@pytest.fixture
def dominique(client):
    return volunteer_client(type(client), "dominique")


def url(listing):
    return reverse("admin:producers_listing_change", args=[listing.pk])


def page_seen(page):
    """The hidden fingerprints the page carries, as the browser sends them."""
    value = re.search(r'<input type="hidden" name="seen" value="([^"]*)"', page)[1]
    return value.replace("&quot;", '"')


def open_page(client, listing):
    response = client.get(url(listing))
    assert response.status_code == 200
    return page_seen(response.content.decode())


def test_the_second_volunteer_is_told_and_the_first_one_s_change_stays(camille, dominique, listing):
    seen_by_camille = open_page(camille, listing)
    seen_by_dominique = open_page(dominique, listing)

    response = camille.post(
        url(listing),
        listing_admin_data(listing, short_description="Légumes et œufs", phone="+33241000000", seen=seen_by_camille),
    )
    assert response.status_code == 302
    # Dominique's page still shows "Légumes"; they change the phone number.
    response = dominique.post(url(listing), listing_admin_data(listing, phone="02 41 00 00 01", seen=seen_by_dominique))

    assert response.status_code == 200
    listing.refresh_from_db()
    assert listing.short_description == "Légumes et œufs" and listing.phone == "+33241000000"
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["short_description"]
    assert "Légumes et œufs" in errors["short_description"][0]
    # What Dominique typed is still in the page.
    page = response.content.decode()
    assert 'value="02 41 00 00 01"' in page


def test_the_page_shown_then_saves_what_it_holds(camille, dominique, listing):
    seen_by_dominique = open_page(dominique, listing)
    camille.post(
        url(listing), listing_admin_data(listing, name="Ferme du Grand Chêne", seen=open_page(camille, listing))
    )
    listing.refresh_from_db()
    response = dominique.post(
        url(listing), listing_admin_data(listing, name="Ferme du Chêne Vert", seen=seen_by_dominique)
    )
    assert response.status_code == 200
    assert "Ferme du Grand Chêne" in response.context["adminform"].form.errors["name"][0]

    # Dominique reads the message and saves the page as it now is.
    again = page_seen(response.content.decode())
    response = dominique.post(url(listing), listing_admin_data(listing, name="Ferme du Chêne Vert", seen=again))
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.name == "Ferme du Chêne Vert"


def test_a_town_or_a_category_changed_meanwhile_is_named(camille, dominique, listing):
    seen_by_dominique = open_page(dominique, listing)
    as_shown = listing_admin_data(listing, seen=seen_by_dominique)  # the categories as Dominique's page has them
    cholet = CommuneFactory(insee_code="49099", name="Cholet", postal_codes="49300")
    fruits = CategoryFactory(slug="fruits", name="Fruits")
    data = {"commune": cholet.pk, "postal_code": "49300", "categories": [fruits.pk]}
    response = camille.post(url(listing), listing_admin_data(listing, **data, seen=open_page(camille, listing)))
    assert response.status_code == 302
    response = dominique.post(url(listing), as_shown)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Cholet" in errors["commune"][0] and "Fruits" in errors["categories"][0]
    assert Listing.objects.get().commune == cholet


def test_a_save_with_nothing_changed_meanwhile_is_saved(camille, listing):
    seen = open_page(camille, listing)
    response = camille.post(url(listing), listing_admin_data(listing, description="Depuis 1990.", seen=seen))
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.description == "Depuis 1990."


def test_a_change_of_a_field_the_page_does_not_show_is_no_conflict(camille, listing):
    seen = open_page(camille, listing)
    Listing.objects.filter(pk=listing.pk).update(confirmed_at="2026-01-01T00:00:00Z")
    response = camille.post(url(listing), listing_admin_data(listing, description="Depuis 1990.", seen=seen))
    assert response.status_code == 302


def test_the_page_s_fingerprints_are_no_change_of_the_listing(camille, listing):
    seen = open_page(camille, listing)
    response = camille.post(url(listing), listing_admin_data(listing, phone=listing.phone, seen=seen))
    assert response.status_code == 302
    # The history says the volunteer changed nothing, as it did before the page carried them.
    assert LogEntry.objects.get().get_change_message() == "Aucun champ modifié."


def test_the_same_page_sent_twice_saves_twice(camille, listing):
    # A double click, or the browser sending the form again: the second post holds what the first one stored.
    data = listing_admin_data(listing, description="Depuis 1990.", seen=open_page(camille, listing))
    assert camille.post(url(listing), data).status_code == 302
    response = camille.post(url(listing), data)
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.description == "Depuis 1990."


def test_two_volunteers_making_the_same_correction_both_save(camille, dominique, listing):
    seen_by_dominique = open_page(dominique, listing)
    data = listing_admin_data(listing, short_description="Légumes et œufs", phone="+33241000000")
    assert camille.post(url(listing), {**data, "seen": open_page(camille, listing)}).status_code == 302
    response = dominique.post(url(listing), {**data, "seen": seen_by_dominique})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.short_description == "Légumes et œufs"


def test_a_column_the_form_does_not_show_changed_after_the_page_was_read_is_kept(camille, listing, monkeypatch):
    # The admin reads the listing (get_object), then the form locks and checks it: a volunteer withdrawing it in
    # between (the status is no field of the form) must not see it published again by this save.
    Listing.objects.filter(pk=listing.pk).update(status=Listing.Status.PUBLISHED)
    seen = open_page(camille, listing)
    read = ListingAdmin.get_object

    def get_object(self, *args, **kwargs):
        found = read(self, *args, **kwargs)
        if found is not None:
            Listing.objects.filter(pk=found.pk).update(status=Listing.Status.UNPUBLISHED)
        return found

    monkeypatch.setattr(ListingAdmin, "get_object", get_object)
    response = camille.post(url(listing), listing_admin_data(listing, description="Depuis 1990.", seen=seen))
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == Listing.Status.UNPUBLISHED and listing.description == "Depuis 1990."


def test_what_a_field_now_holds_is_written_as_the_site_writes_it(camille, dominique, listing):
    seen_by_dominique = open_page(dominique, listing)
    as_shown = listing_admin_data(listing, seen=seen_by_dominique)
    Listing.objects.filter(pk=listing.pk).update(email_public=True, latitude=47.5, opening_hours="Mo-Fr 09:00-12:00")
    response = dominique.post(url(listing), as_shown)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    # In French, as the rest of the page: not Python's True, 47.5 or the OpenStreetMap syntax.
    assert "« Oui »" in errors["email_public"][0]
    assert "« 47,5 »" in errors["latitude"][0]
    assert "« du lundi au vendredi : 9 h – 12 h" in errors["opening_hours"][0]
