"""Every publication change is a decision: status is read-only in the Listing admin; publishing, rejecting,
withdrawing and re-publishing go through moderation, are logged with who, when and why, and mailed to the producer."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from moderation.models import AlreadyDecided, Decision, EditToken, decide_listing, listing_actions
from producers.models import Listing
from tests.factories import CategoryFactory, ListingFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_url(listing):
    return reverse("admin:producers_listing_change", args=[listing.pk])


def decide_url(pk):
    return reverse("admin:moderation_decide", args=["listing", pk])


def review_url(pk):
    return reverse("admin:moderation_review", args=["listing", pk])


def listing_admin_data(listing, **changes):
    """What the Listing admin's change form posts, unchanged but for `changes`."""
    data = {
        "name": listing.name,
        "slug": listing.slug,
        "kind": listing.kind,
        "short_description": listing.short_description,
        "description": listing.description,
        "categories": [c.pk for c in listing.categories.all()],
        "street_address": listing.street_address,
        "commune": listing.commune_id,
        "postal_code": listing.postal_code,
        "latitude": listing.latitude,
        "longitude": listing.longitude,
        "phone": "",
        "email": listing.email,
        "website": "",
        "facebook_url": "",
        "instagram_url": "",
        "other_links": "",
        "opening_hours": listing.opening_hours,
        "deliveries-TOTAL_FORMS": 0,
        "deliveries-INITIAL_FORMS": 0,
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
        "closures-TOTAL_FORMS": 0,
        "closures-INITIAL_FORMS": 0,
        # A producer's markets, or a market's stands: the page has one of the two.
        "attendances-TOTAL_FORMS": 0,
        "attendances-INITIAL_FORMS": 0,
        "stands-TOTAL_FORMS": 0,
        "stands-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture(params=["moderator", "superuser"])
def volunteer(request):
    return request.getfixturevalue(request.param)


@pytest.fixture
def pending(angers):
    return ListingFactory(status=Listing.Status.PENDING, email="p@example.org", categories=[CategoryFactory()])


class TestTheListingAdmin:
    def test_status_is_shown_but_cannot_be_changed_even_by_a_superuser(self, client, volunteer, pending):
        client.force_login(volunteer)
        page = client.get(change_url(pending)).content.decode()
        assert 'name="status"' not in page
        assert "En attente de validation" in page
        response = client.post(change_url(pending), listing_admin_data(pending, status="published", name="Nouveau"))
        assert response.status_code == 302, response.context["adminform"].form.errors
        pending.refresh_from_db()
        assert pending.name == "Nouveau"  # the other fields are still edited here
        assert pending.status == Listing.Status.PENDING
        assert client.get(pending.get_absolute_url()).status_code == 404
        assert not Decision.objects.exists()

    def test_a_listing_added_in_the_admin_waits_for_review(self, client, superuser, angers):
        client.force_login(superuser)
        category = CategoryFactory()
        template = ListingFactory(commune=angers, categories=[category])
        data = listing_admin_data(template, status="published", slug="ajout", name="Ajout")
        response = client.post(reverse("admin:producers_listing_add"), data)
        assert response.status_code == 302
        assert Listing.objects.get(slug="ajout").status == Listing.Status.PENDING

    def test_the_change_page_leads_to_the_decisions(self, client, moderator, pending):
        client.force_login(moderator)
        assert f'href="{review_url(pending.pk)}"' in client.get(change_url(pending)).content.decode()


class TestWithdrawAndRepublish:
    def test_a_volunteer_withdraws_a_published_listing_with_a_reason(
        self, client, volunteer, angers, django_capture_on_commit_callbacks
    ):
        listing = ListingFactory(email="p@example.org")
        client.force_login(volunteer)
        assert "Retirer du site" in client.get(review_url(listing.pk)).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(decide_url(listing.pk), {"action": "withdraw", "reason": "L’activité a fermé."})
        assert response.status_code == 302
        listing.refresh_from_db()
        assert listing.status == Listing.Status.UNPUBLISHED
        assert client.get(listing.get_absolute_url()).status_code == 404
        decision = Decision.objects.get()
        assert (decision.moderator, decision.action, decision.reason, decision.target) == (
            volunteer,
            "withdraw",
            "L’activité a fermé.",
            listing,
        )
        assert mail.outbox[0].to == ["p@example.org"]
        assert "L’activité a fermé." in mail.outbox[0].body and "n’est plus publiée" in mail.outbox[0].subject

    def test_withdrawing_needs_a_reason(self, moderator_client, angers):
        listing = ListingFactory()
        moderator_client.post(decide_url(listing.pk), {"action": "withdraw", "reason": " "})
        listing.refresh_from_db()
        assert listing.status == Listing.Status.PUBLISHED
        assert not Decision.objects.exists() and not mail.outbox

    def test_a_withdrawn_listing_is_republished_with_a_new_link(
        self, moderator_client, angers, django_capture_on_commit_callbacks
    ):
        listing = ListingFactory(email="p@example.org")
        moderator_client.post(decide_url(listing.pk), {"action": "withdraw", "reason": "Plainte."})
        assert "Republier" in moderator_client.get(review_url(listing.pk)).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            moderator_client.post(decide_url(listing.pk), {"action": "republish", "reason": "Plainte levée."})
        listing.refresh_from_db()
        assert listing.status == Listing.Status.PUBLISHED
        assert list(Decision.objects.values_list("action", "reason")) == [
            ("republish", "Plainte levée."),
            ("withdraw", "Plainte."),
        ]
        token = re.search(r"/modifier/(\S+)/", mail.outbox[-1].body)[1]
        assert EditToken.find(token).listing == listing

    def test_an_erased_listing_cannot_be_republished_by_a_volunteer(self, client, moderator_client, angers):
        listing = ListingFactory()
        token = EditToken.issue(listing)
        client.post(f"/modifier/{token}/effacer/")
        listing.refresh_from_db()
        assert listing.status == Listing.Status.UNPUBLISHED
        assert "Republier" not in moderator_client.get(review_url(listing.pk)).content.decode()
        moderator_client.post(decide_url(listing.pk), {"action": "republish"})
        listing.refresh_from_db()
        assert listing.status == Listing.Status.UNPUBLISHED
        # The erasure is logged, without a volunteer; nothing else is.
        assert list(Decision.objects.values_list("action", "moderator")) == [("erase", None)]

    def test_a_withdrawn_listing_its_producer_then_erased_cannot_be_republished(
        self, client, moderator_client, moderator, angers
    ):
        listing = ListingFactory(name="Ferme Fermée")
        token = EditToken.issue(listing)
        decide_listing(listing.pk, "withdraw", moderator, "L’activité a fermé.")
        assert listing_actions(Listing.objects.get(pk=listing.pk)) == ["republish"]
        assert client.post(f"/modifier/{token}/effacer/").status_code == 200
        listing.refresh_from_db()
        assert listing_actions(listing) == []
        assert "Republier" not in moderator_client.get(review_url(listing.pk)).content.decode()
        with pytest.raises(AlreadyDecided):
            decide_listing(listing.pk, "republish", moderator)
        moderator_client.post(decide_url(listing.pk), {"action": "republish"})
        listing.refresh_from_db()
        assert listing.status == Listing.Status.UNPUBLISHED
        assert client.get(listing.get_absolute_url()).status_code == 404
        assert list(Decision.objects.values_list("action", flat=True)) == ["erase", "withdraw"]

    @pytest.mark.parametrize("action", ["approve", "reject", "request_changes"])
    def test_queue_decisions_do_not_apply_to_a_published_listing(self, moderator_client, angers, action):
        listing = ListingFactory()
        moderator_client.post(decide_url(listing.pk), {"action": action, "reason": "x"})
        listing.refresh_from_db()
        assert listing.status == Listing.Status.PUBLISHED
        assert not Decision.objects.exists()


def test_an_import_that_publishes_logs_a_decision_per_new_listing(client, superuser, angers, category):
    import_url = reverse("admin:producers_listing_import")
    client.force_login(superuser)
    header = "name,kind,categories,commune,insee_code,postal_code\r\n"
    text = header + "Ferme A,producer,legumes,Angers,,49000\r\nFerme B,producer,legumes,Angers,,49000\r\n"
    client.post(import_url, {"step": "preview", "file": SimpleUploadedFile("l.csv", text.encode(), "text/csv")})
    assert client.post(import_url, {"step": "confirm", "publish": "on"}).status_code == 302
    published = set(Listing.objects.published().values_list("pk", flat=True))
    assert len(published) == 2
    decisions = Decision.objects.all()
    assert {d.object_id for d in decisions} == published
    assert {(d.moderator, d.action) for d in decisions} == {(superuser, "approve")}
    assert all("CSV" in d.reason for d in decisions)
