"""Private links keep working: volunteers' emails add links, only the producer's own request or erasing revokes them,
and an edit sent while a volunteer decides is never lost."""

import re
import threading
import time

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

import moderation.models
from moderation.admin import decide
from moderation.models import Decision, EditToken, Revision
from producers.models import Listing
from tests.factories import ListingFactory, UserFactory

from .concurrency import at_once
from .test_edit_link import edit_url, form_data

pytestmark = pytest.mark.django_db


def link_in(message):
    return re.search(r"/modifier/([^/\s]+)/", message.body)[1]


def seen_on(page):
    return re.search(r'name="seen" value="([^"]+)"', page)[1]


@pytest.fixture
def pending(angers, category):
    return ListingFactory(
        status=Listing.Status.PENDING, name="Ferme du Lac", email="lac@example.org", categories=[category]
    )


@pytest.fixture
def volunteer(db):
    return UserFactory(username="alice", is_staff=True)


class TestEmailsDoNotRevoke:
    def test_the_first_link_still_opens_after_approval_and_the_approval_link_too(
        self, client, pending, volunteer, django_capture_on_commit_callbacks
    ):
        first = EditToken.issue(pending)
        with django_capture_on_commit_callbacks(execute=True):
            decide("listing", pending.pk, Decision.Action.APPROVE, volunteer)
        assert client.get(edit_url(first)).status_code == 200
        assert client.get(edit_url(link_in(mail.outbox[-1]))).status_code == 200

    @pytest.mark.parametrize("action", [Decision.Action.REQUEST_CHANGES, Decision.Action.REJECT])
    def test_a_decision_on_an_edit_leaves_the_link_working(self, client, pending, volunteer, action):
        first = EditToken.issue(pending)
        decide("listing", pending.pk, Decision.Action.APPROVE, volunteer)
        client.post(edit_url(first), form_data(pending, name="Ferme du Lac Bleu"))
        decide("revision", Revision.objects.get().pk, action, volunteer, "Pourquoi ce nom ?")
        assert client.get(edit_url(first)).status_code == 200


class TestNewLinkOnRequest:
    def url(self, token):
        return reverse("moderation:renew_link", args=[token])

    def test_it_mails_a_new_link_and_every_other_link_stops_working(self, client, pending):
        first, second = EditToken.issue(pending), EditToken.issue(pending)
        response = client.post(self.url(first))
        assert response.status_code == 200
        assert mail.outbox[-1].to == ["lac@example.org"]
        new = link_in(mail.outbox[-1])
        assert client.get(edit_url(first)).status_code == 410
        assert client.get(edit_url(second)).status_code == 410
        assert client.get(edit_url(new)).status_code == 200

    def test_its_address_opened_as_a_page_sends_nothing_and_leads_to_the_edit_page(self, client, pending):
        token = EditToken.issue(pending)
        response = client.get(self.url(token), follow=True)
        assert response.redirect_chain == [(edit_url(token), 303)]
        assert "Aucun nouveau lien n’a été envoyé" in response.content.decode()
        assert not mail.outbox
        assert client.get(edit_url(token)).status_code == 200

    def test_the_edit_page_offers_it_as_a_post_button(self, client, pending):
        token = EditToken.issue(pending)
        page = client.get(edit_url(token)).content.decode()
        assert f'<form method="post" action="{self.url(token)}">' in page

    def test_if_the_email_fails_the_old_link_keeps_working(self, client, pending, settings):
        token = EditToken.issue(pending)
        settings.EMAIL_BACKEND = "tests.moderation.test_robustness.BrokenMailServer"
        response = client.post(self.url(token))
        assert "n’a pas pu être envoyé" in response.content.decode()
        assert client.get(edit_url(token)).status_code == 200
        assert EditToken.objects.active().count() == 1

    def test_a_dead_link_cannot_renew(self, client, pending):
        token = EditToken.issue(pending)
        EditToken.revoke_all(pending)
        assert client.post(self.url(token)).status_code == 410
        assert not mail.outbox


class TestEditsSentWhileAVolunteerDecides:
    """The producer opens the edit page, a volunteer decides, then the producer sends the form."""

    def open_page(self, client, listing):
        token = EditToken.issue(listing)
        return token, seen_on(client.get(edit_url(token)).content.decode())

    def send(self, client, listing, token, seen, **changes):
        return client.post(edit_url(token), {**form_data(listing, **changes), "seen": seen})

    def test_approved_meanwhile_the_edit_waits_as_a_revision_and_the_page_says_so(self, client, pending, volunteer):
        token, seen = self.open_page(client, pending)
        decide("listing", pending.pk, Decision.Action.APPROVE, volunteer)
        response = self.send(client, pending, token, seen, name="Ferme du Lac Bleu")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Pendant que vous modifiiez" in page and "a validé votre fiche" in page
        pending.refresh_from_db()
        assert (pending.status, pending.name) == (Listing.Status.PUBLISHED, "Ferme du Lac")
        assert Revision.objects.pending().get().data["name"] == "Ferme du Lac Bleu"

    def test_refused_meanwhile_the_edit_is_kept_and_goes_back_to_review(self, client, pending, volunteer):
        token, seen = self.open_page(client, pending)
        decide("listing", pending.pk, Decision.Action.REJECT, volunteer, "Pas de production locale.")
        response = self.send(client, pending, token, seen, description="Nos légumes poussent à Angers.")
        page = response.content.decode()
        assert response.status_code == 200
        assert "Pas de production locale." in page
        pending.refresh_from_db()
        assert pending.status == Listing.Status.PENDING
        assert pending.description == "Nos légumes poussent à Angers."

    def test_a_refused_listing_opened_after_the_refusal_shows_why_and_takes_no_edit(self, client, pending, volunteer):
        token = EditToken.issue(pending)
        decide("listing", pending.pk, Decision.Action.REJECT, volunteer, "Pas de production locale.")
        response = client.get(edit_url(token))
        assert response.status_code == 410
        assert "Pas de production locale." in response.content.decode()
        seen = str(Decision.objects.get().pk)
        assert self.send(client, pending, token, seen, name="Encore").status_code == 410
        pending.refresh_from_db()
        assert (pending.status, pending.name) == (Listing.Status.REJECTED, "Ferme du Lac")

    @pytest.mark.parametrize("forged", ["0", "-1", "{pk}:0"])
    def test_a_forged_seen_does_not_send_a_refused_listing_back_to_the_queue(self, client, pending, volunteer, forged):
        token = EditToken.issue(pending)
        decide("listing", pending.pk, Decision.Action.REJECT, volunteer, "Pas de production locale.")
        assert client.get(edit_url(token)).status_code == 410
        response = self.send(client, pending, token, forged.format(pk=pending.pk), name="Encore")
        assert response.status_code == 410
        pending.refresh_from_db()
        assert (pending.status, pending.name) == (Listing.Status.REJECTED, "Ferme du Lac")

    def test_a_forged_seen_adds_no_revision_to_a_withdrawn_listing(self, client, pending, volunteer):
        decide("listing", pending.pk, Decision.Action.APPROVE, volunteer)
        token = EditToken.issue(pending)
        decide("listing", pending.pk, Decision.Action.WITHDRAW, volunteer, "Fermée depuis juin.")
        assert client.get(edit_url(token)).status_code == 410
        assert self.send(client, pending, token, "0", name="Encore").status_code == 410
        assert not Revision.objects.exists()

    def test_a_seen_from_another_listings_page_does_not_count(self, client, pending, volunteer, category):
        other = ListingFactory(status=Listing.Status.PENDING, email="autre@example.org", categories=[category])
        _, seen_elsewhere = self.open_page(client, other)
        token = EditToken.issue(pending)
        decide("listing", pending.pk, Decision.Action.REJECT, volunteer, "Pas de production locale.")
        assert self.send(client, pending, token, seen_elsewhere, name="Encore").status_code == 410

    def test_changes_asked_meanwhile_the_edit_is_saved_and_the_question_shown(self, client, pending, volunteer):
        token, seen = self.open_page(client, pending)
        decide("listing", pending.pk, Decision.Action.REQUEST_CHANGES, volunteer, "Quels légumes ?")
        response = self.send(client, pending, token, seen, name="Ferme du Lac Bleu")
        assert "Quels légumes ?" in response.content.decode()
        pending.refresh_from_db()
        assert (pending.status, pending.name) == (Listing.Status.PENDING, "Ferme du Lac Bleu")

    def test_an_edit_approved_meanwhile_the_new_one_waits_for_review(self, client, pending, volunteer):
        decide("listing", pending.pk, Decision.Action.APPROVE, volunteer)
        token, _ = self.open_page(client, pending)
        self.send(client, pending, token, 0, name="Ferme du Lac Bleu")
        token, seen = self.open_page(client, pending)
        decide("revision", Revision.objects.get().pk, Decision.Action.APPROVE, volunteer)
        response = self.send(client, pending, token, seen, name="Ferme du Lac Vert")
        assert "a validé les modifications que vous aviez envoyées" in response.content.decode()
        assert Revision.objects.pending().get().data["name"] == "Ferme du Lac Vert"

    def test_nothing_happened_meanwhile_no_story_is_told(self, client, pending):
        token, seen = self.open_page(client, pending)
        response = self.send(client, pending, token, seen, name="Ferme du Lac Bleu")
        assert "Pendant que vous modifiiez" not in response.content.decode()


class TestVolunteersMessageOnTheEditPage:
    def test_the_question_is_shown_until_the_producer_edits(self, client, pending, volunteer):
        token = EditToken.issue(pending)
        decide("listing", pending.pk, Decision.Action.REQUEST_CHANGES, volunteer, "Quels légumes ?")
        page = client.get(edit_url(token)).content.decode()
        assert "Quels légumes ?" in page and "vous demande des modifications" in page
        client.post(edit_url(token), form_data(pending, short_description="Tomates et courges"))
        assert "Quels légumes ?" not in client.get(edit_url(token)).content.decode()

    def test_a_refused_edit_shows_the_reason(self, client, pending, volunteer):
        decide("listing", pending.pk, Decision.Action.APPROVE, volunteer)
        token = EditToken.issue(pending)
        client.post(edit_url(token), form_data(pending, name="Promo -50 %"))
        decide("revision", Revision.objects.get().pk, Decision.Action.REJECT, volunteer, "Pas de publicité.")
        assert "Pas de publicité." in client.get(edit_url(token)).content.decode()

    def test_an_approval_shows_no_message(self, client, pending, volunteer):
        token = EditToken.issue(pending)
        decide("listing", pending.pk, Decision.Action.REQUEST_CHANGES, volunteer, "Quels légumes ?")
        decide("listing", pending.pk, Decision.Action.APPROVE, volunteer)
        response = client.get(edit_url(token))
        assert response.status_code == 200 and pending.name in response.content.decode()
        assert "Quels légumes ?" not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_approval_and_an_edit_at_once_lose_nothing(angers, category):
    """Five rounds of a volunteer approving while the producer sends an edit, at the same moment (PostgreSQL).
    Whoever gets the row lock first, the edit is kept (on the pending listing or as a revision), the producer sees
    the "saved" page, and the link they used still opens the listing."""
    volunteer = UserFactory(username="alice", is_staff=True)
    for round_ in range(5):
        listing = ListingFactory(
            status=Listing.Status.PENDING, name=f"Ferme {round_}", email="lac@example.org", categories=[category]
        )
        token = EditToken.issue(listing)
        data = form_data(listing, name=f"Ferme {round_} modifiée")

        def approve(listing=listing):
            return decide("listing", listing.pk, Decision.Action.APPROVE, volunteer)

        def edit(token=token, data=data):
            return Client().post(edit_url(token), data)

        approved, response = at_once(approve, edit)
        assert isinstance(approved, Listing), approved
        assert response.status_code == 200, response
        assert "Vos modifications sont enregistrées" in response.content.decode()
        listing.refresh_from_db()
        assert listing.status == Listing.Status.PUBLISHED
        kept = [listing.name, *[r.data["name"] for r in listing.revisions.pending()]]
        assert f"Ferme {round_} modifiée" in kept
        assert Client().get(edit_url(token)).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_an_edit_waiting_on_the_volunteers_lock_becomes_a_revision(angers, category, monkeypatch):
    """The volunteer holds the row lock; the producer's edit arrives and waits on it (PostgreSQL), then finds the
    listing published: it is kept as a revision. On SQLite (no row locks) the two run one after the other."""
    volunteer = UserFactory(username="alice", is_staff=True)
    listing = ListingFactory(
        status=Listing.Status.PENDING, name="Ferme du Lac", email="lac@example.org", categories=[category]
    )
    token = EditToken.issue(listing)
    seen = seen_on(Client().get(edit_url(token)).content.decode())
    concurrent = connection.vendor == "postgresql"
    producer = threading.current_thread()
    locked, edit_locking = threading.Event(), threading.Event()
    waited = []

    lock_rows = Listing.objects.select_for_update

    def signal_edit_locking(*args, **kwargs):
        if threading.current_thread() is producer:
            edit_locking.set()
        return lock_rows(*args, **kwargs)

    monkeypatch.setattr(Listing.objects, "select_for_update", signal_edit_locking)

    def hold_lock(obj):
        locked.set()
        if concurrent:
            # Held until the producer's edit is at its select_for_update, and seen by PostgreSQL waiting on a lock.
            assert edit_locking.wait(10)
            with connection.cursor() as cursor:
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    # Inside a transaction PostgreSQL keeps showing the activity it first read: read it afresh.
                    cursor.execute("SELECT pg_stat_clear_snapshot()")
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock' AND query LIKE '%%FOR UPDATE%%'"
                    )
                    if cursor.fetchone()[0]:
                        waited.append(True)
                        break

    monkeypatch.setattr(moderation.models.decisions, "_after_lock", hold_lock)
    results = {}

    def approve():
        from django.db import connections

        try:
            results["approved"] = decide("listing", listing.pk, Decision.Action.APPROVE, volunteer)
        finally:
            connections.close_all()

    first = threading.Thread(target=approve)
    first.start()
    assert locked.wait(10)
    if not concurrent:
        first.join(10)
    response = Client().post(edit_url(token), {**form_data(listing, name="Ferme modifiée"), "seen": seen})
    first.join(10)
    assert isinstance(results.get("approved"), Listing), results
    if concurrent:
        assert waited, "the edit never waited on the volunteer's row lock"
    assert response.status_code == 200
    assert "a validé votre fiche" in response.content.decode()
    listing.refresh_from_db()
    assert (listing.status, listing.name) == (Listing.Status.PUBLISHED, "Ferme du Lac")
    assert Revision.objects.pending().get(listing=listing).data["name"] == "Ferme modifiée"
