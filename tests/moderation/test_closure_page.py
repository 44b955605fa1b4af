"""/modifier/<token>/fermetures/: the producer enters temporary closures through the private link, without review."""

import datetime

import pytest
from django.urls import reverse

from moderation.models import EditToken, Revision, decide_listing
from producers.models import Closure, Listing
from tests.factories import ListingFactory

from .test_decisions import listing_admin_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(angers, category, clock):
    return ListingFactory(
        name="Ferme du Lac", email="lac@example.org", opening_hours="Mo-Su 09:00-18:00", categories=[category]
    )


@pytest.fixture
def url(listing):
    return f"/modifier/{EditToken.issue(listing)}/fermetures/"


def test_a_closure_is_public_at_once_without_review(client, listing, url, clock):
    response = client.post(
        url, {"starts_on": "2026-05-02", "ends_on": "2026-05-02", "note": "Fermé exceptionnellement"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "La fermeture est enregistrée" in page and "Fermé le samedi 2 mai 2026" in page
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PUBLISHED and not Revision.objects.exists()
    clock.now = datetime.datetime(2026, 5, 2, 10, 0, tzinfo=datetime.UTC)
    public = client.get(listing.get_absolute_url()).content.decode()
    assert "Fermé exceptionnellement aujourd’hui. Fermé exceptionnellement" in public


def test_errors_are_next_to_the_field_and_the_input_is_kept(client, url):
    response = client.post(url, {"starts_on": "2026-08-15", "ends_on": "2026-08-01", "note": "Congés d’été"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page and 'href="#id_ends_on"' in page
    assert 'id="id_ends_on_error"' in page and "ne peut pas être avant le premier" in page
    assert 'value="2026-08-15"' in page and 'value="2026-08-01"' in page and 'value="Congés d’été"' in page
    assert not Closure.objects.exists()


def test_a_closure_is_removed(client, listing, url):
    closure = Closure.objects.create(listing=listing, starts_on="2026-08-01", ends_on="2026-08-15")
    assert "Fermé du 1 août au 15 août 2026" in client.get(url).content.decode()
    assert client.post(f"{url}{closure.pk}/supprimer/").status_code == 302
    assert not Closure.objects.exists()


def test_the_remove_address_opened_as_a_page_removes_nothing_and_leads_to_the_closures(client, listing, url):
    """A bookmark or an address copied from the bar: the closures page, saying how to remove one, not a blank 405."""
    closure = Closure.objects.create(listing=listing, starts_on="2026-08-01", ends_on="2026-08-15")
    response = client.get(f"{url}{closure.pk}/supprimer/", follow=True)
    assert response.redirect_chain == [(url, 303)]
    page = response.content.decode()
    assert "Rien n’a été supprimé" in page and "Fermé du 1 août au 15 août 2026" in page
    assert client.head(f"{url}{closure.pk}/supprimer/").status_code == 303
    assert Closure.objects.filter(pk=closure.pk).exists()
    assert client.put(f"{url}{closure.pk}/supprimer/").status_code == 405


def test_another_listings_closure_cannot_be_removed(client, angers, url):
    other = Closure.objects.create(listing=ListingFactory(), starts_on="2026-08-01", ends_on="2026-08-15")
    client.post(f"{url}{other.pk}/supprimer/")
    assert Closure.objects.filter(pk=other.pk).exists()


def test_a_forged_link_stores_nothing(client, listing):
    response = client.post("/modifier/forged:x/fermetures/", {"starts_on": "2026-08-01", "ends_on": "2026-08-02"})
    assert response.status_code == 404
    assert not Closure.objects.exists()


def test_a_withdrawn_listing_takes_no_closure(client, listing, url, moderator):
    decide_listing(listing.pk, "withdraw", moderator, "Fermée.")
    response = client.post(url, {"starts_on": "2026-08-01", "ends_on": "2026-08-02"})
    assert response.status_code == 410
    assert not Closure.objects.exists()


def test_the_edit_page_leads_there(client, listing, url):
    edit = url.removesuffix("fermetures/")
    assert f'href="{url}"' in client.get(edit).content.decode()


class TestAdminInline:
    def test_a_volunteer_enters_a_closure_in_the_listing_admin(self, moderator_client, listing):
        change_url = reverse("admin:producers_listing_change", args=[listing.pk])
        Closure.objects.create(listing=listing, starts_on="2026-01-01", ends_on="2026-01-02")
        Closure.objects.create(listing=listing, starts_on="2026-04-01", ends_on="2026-04-02")
        page = moderator_client.get(change_url).content.decode()
        assert "Fermetures temporaires" in page
        assert 'value="2026-04-01"' in page and 'value="2026-01-01"' not in page, "over closures are not shown"
        data = listing_admin_data(
            listing,
            **{
                "closures-TOTAL_FORMS": 2,
                "closures-INITIAL_FORMS": 1,
                "closures-0-id": listing.closures.get(starts_on="2026-04-01").pk,
                "closures-0-listing": listing.pk,
                "closures-0-starts_on": "2026-04-01",
                "closures-0-ends_on": "2026-04-02",
                "closures-1-starts_on": "2026-08-01",
                "closures-1-ends_on": "2026-08-15",
                "closures-1-note": "Congés",
            },
        )
        response = moderator_client.post(change_url, data)
        assert response.status_code == 302
        assert list(listing.closures.not_over().values_list("note", flat=True)) == ["", "Congés"]

    def test_a_wrong_closure_is_shown_in_the_admin(self, moderator_client, listing):
        change_url = reverse("admin:producers_listing_change", args=[listing.pk])
        data = listing_admin_data(
            listing,
            **{"closures-TOTAL_FORMS": 1, "closures-0-starts_on": "2026-08-15", "closures-0-ends_on": "2026-08-01"},
        )
        response = moderator_client.post(change_url, data)
        assert response.status_code == 200
        assert "ne peut pas être avant le premier" in response.content.decode()
        assert not Closure.objects.exists()
