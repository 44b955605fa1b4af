"""Volunteers in the admin: the queue, review pages, decisions by POST only, emails, the log, permissions."""

import json
import re
import threading

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.urls import reverse

import moderation.models
from moderation.models import Decision, EditToken, ErrorReport, Revision, decide_listing
from producers.models import Listing
from tests.factories import ListingFactory, UserFactory

from .test_edit_link import form_data

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:moderation_queue")


def review_url(kind, pk):
    return reverse("admin:moderation_review", args=[kind, pk])


def decide_url(kind, pk):
    return reverse("admin:moderation_decide", args=[kind, pk])


def geojson_names(client, department):
    url = reverse("producers:department_geojson", kwargs={"code": department.code, "slug": department.slug})
    return [f["properties"]["name"] for f in json.loads(client.get(url).content)["features"]]


def test_the_whole_flow_submit_review_publish(client, submission, moderator, angers):
    assert client.post("/inscrire/", submission).status_code == 302
    listing = Listing.objects.get()
    department = angers.department
    assert client.get(listing.get_absolute_url()).status_code == 404
    assert listing.name not in client.get(department.get_absolute_url()).content.decode()
    assert listing.name not in geojson_names(client, department)

    client.force_login(moderator)
    assert listing.name in client.get(QUEUE).content.decode()
    assert "moderation-queue" in client.get(reverse("admin:index")).content.decode()
    page = client.get(review_url("listing", listing.pk)).content.decode()
    assert "Ferme des Trois Chênes" in page and "listing-map" in page
    response = client.post(decide_url("listing", listing.pk), {"action": "approve"})
    assert response.status_code == 302
    client.logout()

    listing.refresh_from_db()
    assert listing.status == Listing.Status.PUBLISHED
    assert client.get(listing.get_absolute_url()).status_code == 200
    assert listing.name in geojson_names(client, department)
    decision = Decision.objects.get()
    assert (decision.moderator, decision.action, decision.target) == (moderator, "approve", listing)


def test_an_edit_waits_as_a_revision_then_applies(client, moderator, angers, category):
    listing = ListingFactory(name="Ferme du Lac", email="lac@example.org", categories=[category])
    token = EditToken.issue(listing)
    client.post(f"/modifier/{token}/", form_data(listing, name="Ferme du Lac Bleu", phone="0241000000"))
    revision = Revision.objects.get()
    assert client.get(listing.get_absolute_url()).content.decode().count("Ferme du Lac Bleu") == 0

    client.force_login(moderator)
    page = client.get(review_url("revision", revision.pk)).content.decode()
    assert "Ferme du Lac Bleu" in page and "Ferme du Lac" in page and 'class="changed"' in page
    client.post(decide_url("revision", revision.pk), {"action": "approve"})
    listing.refresh_from_db()
    assert listing.name == "Ferme du Lac Bleu"
    assert listing.phone.as_e164 == "+33241000000"
    revision.refresh_from_db()
    assert revision.status == Revision.Status.APPROVED


@pytest.mark.parametrize("action", ["reject", "request_changes"])
def test_reject_and_ask_for_changes_email_the_producer(
    moderator_client, angers, action, django_capture_on_commit_callbacks
):
    listing = ListingFactory(status=Listing.Status.PENDING, email="p@example.org")
    data = {"action": action, "reason": "Photo floue.", "confirmed": "yes"}
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(decide_url("listing", listing.pk), data)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["p@example.org"]
    assert "Photo floue." in mail.outbox[0].body
    if action == "request_changes":
        token = re.search(r"/modifier/(\S+)/", mail.outbox[0].body)[1]
        assert EditToken.find(token).listing == listing
        listing.refresh_from_db()
        assert listing.status == Listing.Status.PENDING
    else:
        listing.refresh_from_db()
        assert listing.status == Listing.Status.REJECTED
    assert Decision.objects.get().reason == "Photo floue."


def test_a_reason_is_required_to_reject(moderator_client, angers):
    listing = ListingFactory(status=Listing.Status.PENDING)
    moderator_client.post(decide_url("listing", listing.pk), {"action": "reject", "reason": "  "})
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PENDING
    assert not Decision.objects.exists()


def test_a_decision_needs_post(moderator_client, angers):
    listing = ListingFactory(status=Listing.Status.PENDING)
    assert moderator_client.get(decide_url("listing", listing.pk) + "?action=approve").status_code == 405
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PENDING


def test_a_second_decision_says_already_decided(moderator_client, angers):
    listing = ListingFactory(status=Listing.Status.PENDING)
    moderator_client.post(decide_url("listing", listing.pk), {"action": "approve"})
    response = moderator_client.post(
        decide_url("listing", listing.pk), {"action": "reject", "reason": "x", "confirmed": "yes"}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]][-1] == "warning"
    assert Decision.objects.count() == 1


def test_bulk_approve_from_the_changelist(moderator_client, angers):
    listings = ListingFactory.create_batch(3, status=Listing.Status.PENDING)
    url = reverse("admin:moderation_pendinglisting_changelist")
    response = moderator_client.post(
        url, {"action": "approve_listings", "_selected_action": [listing.pk for listing in listings]}
    )
    assert response.status_code == 302
    assert Listing.objects.published().count() == 3
    assert Decision.objects.filter(action="approve").count() == 3


def test_duplicates_are_hinted(moderator_client, angers):
    ListingFactory(name="La Ferme du Lac", phone="0241000000")
    pending = ListingFactory(name="Ferme du lac", status=Listing.Status.PENDING, phone="0241000000")
    page = moderator_client.get(review_url("listing", pending.pk)).content.decode()
    # The hint itself, not the "none found (same phone, …)" sentence shown when there is none.
    [reasons] = re.findall(r">La Ferme du Lac</a> \([^)]*\) : ([^<]*)</li>", page)
    assert "même téléphone" in reasons


class TestErrorReport:
    def test_a_shopper_reports_and_a_volunteer_fixes(self, client, moderator, angers):
        from .conftest import started_seconds_ago

        listing = ListingFactory()
        assert f"/activites/{listing.slug}/signaler/" in client.get(listing.get_absolute_url()).content.decode()
        data = {"kind": "closed", "message": "Fermé depuis mars.", "email": "", "started": started_seconds_ago()}
        assert client.post(f"/activites/{listing.slug}/signaler/", data).status_code == 200
        report = ErrorReport.objects.get()
        assert report.status == ErrorReport.Status.OPEN
        client.force_login(moderator)
        assert "Fermé depuis mars." in client.get(review_url("report", report.pk)).content.decode()
        client.post(decide_url("report", report.pk), {"action": "dismiss"})
        report.refresh_from_db()
        assert report.status == ErrorReport.Status.DISMISSED
        assert Decision.objects.get().action == "dismiss"

    def test_no_report_on_an_unpublished_listing(self, client, angers):
        listing = ListingFactory(status=Listing.Status.PENDING)
        assert client.get(f"/activites/{listing.slug}/signaler/").status_code == 404


class TestPermissions:
    def test_anonymous_is_sent_to_the_login(self, client, angers):
        listing = ListingFactory(status=Listing.Status.PENDING)
        assert client.get(QUEUE).status_code == 302
        response = client.post(decide_url("listing", listing.pk), {"action": "approve"})
        assert response.status_code == 302 and "/login/" in response["Location"]
        listing.refresh_from_db()
        assert listing.status == Listing.Status.PENDING

    def test_staff_outside_the_group_cannot_decide(self, client, angers):
        listing = ListingFactory(status=Listing.Status.PENDING)
        client.force_login(UserFactory(username="bob", is_staff=True))
        assert client.get(QUEUE).status_code == 403
        assert client.post(decide_url("listing", listing.pk), {"action": "approve"}).status_code == 403

    def test_a_moderator_cannot_manage_users(self, moderator_client):
        assert moderator_client.get("/admin/auth/user/").status_code == 403
        assert moderator_client.get("/admin/auth/group/").status_code == 403

    def test_the_group_has_no_auth_permission(self, db):
        group = Group.objects.get(name="Modérateurs")
        assert not group.permissions.filter(content_type__app_label="auth").exists()
        assert group.permissions.filter(codename="change_revision").exists()

    def test_nobody_edits_or_deletes_the_log(self, client, angers):
        admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
        listing = ListingFactory(status=Listing.Status.PENDING)
        decide_listing(listing.pk, Decision.Action.APPROVE, admin_user)
        decision = Decision.objects.get()
        client.force_login(admin_user)
        assert client.get(reverse("admin:moderation_decision_changelist")).status_code == 200
        assert client.get(reverse("admin:moderation_decision_add")).status_code == 403
        assert client.get(reverse("admin:moderation_decision_delete", args=[decision.pk])).status_code == 403
        client.post(reverse("admin:moderation_decision_change", args=[decision.pk]), {"reason": "changed"})
        decision.refresh_from_db()
        assert decision.reason == ""


@pytest.mark.django_db(transaction=True)
def test_two_volunteers_at_once_the_first_wins(monkeypatch):
    """Two threads, two connections. On PostgreSQL the second blocks on the row lock held by the first, then sees
    the decision; on SQLite (no row locks) it runs once the first has committed and sees the changed status.
    Either way: one decision applied, one "already decided", one Decision row."""
    from tests.factories import CommuneFactory

    CommuneFactory()
    listing = ListingFactory(status=Listing.Status.PENDING)
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    locked, first_done = threading.Event(), threading.Event()
    results = {}
    concurrent = connection.vendor == "postgresql"

    def hold_lock(obj):
        if threading.current_thread().name == "alice":
            locked.set()
            if concurrent:
                # Give bob time to reach select_for_update and block on our lock.
                threading.Event().wait(0.5)

    monkeypatch.setattr(moderation.models.decisions, "_after_lock", hold_lock)

    def run(user, action, reason):
        from django.db import connections

        try:
            decide_listing(listing.pk, action, user, reason)
            results[user.username] = "applied"
        except moderation.models.AlreadyDecided:
            results[user.username] = "already decided"
        finally:
            if user.username == "alice":
                first_done.set()
            connections.close_all()

    first = threading.Thread(target=run, name="alice", args=(alice, Decision.Action.APPROVE, ""))
    first.start()
    assert locked.wait(10)
    if not concurrent:
        assert first_done.wait(10)
    second = threading.Thread(target=run, name="bob", args=(bob, Decision.Action.REJECT, "non"))
    second.start()
    first.join(10)
    second.join(10)
    assert results == {"alice": "applied", "bob": "already decided"}
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PUBLISHED
    assert Decision.objects.count() == 1


@pytest.mark.parametrize("action", ["fix", "dismiss"])
def test_deciding_a_report_blanks_the_shoppers_email_at_once(moderator_client, angers, action):
    report = ErrorReport.objects.create(
        listing=ListingFactory(), kind="wrong_info", message="Mauvais numéro.", email="client@example.org"
    )
    moderator_client.post(decide_url("report", report.pk), {"action": action})
    report.refresh_from_db()
    assert report.status != ErrorReport.Status.OPEN
    assert report.email == ""
    assert report.message == "Mauvais numéro."


def test_the_short_queue_address_leads_to_the_queue(moderator_client):
    response = moderator_client.get("/admin/moderation/queue/")
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    assert moderator_client.get(QUEUE).status_code == 200
