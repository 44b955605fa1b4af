"""The yearly confirmation: asked at 365 days, reminded at 395, hidden at 425, brought back by a confirmation."""

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from moderation import emails, freshness
from moderation.models import ConfirmationStep, Decision, EditToken, ErrorReport, Revision, decide_listing
from producers.models import Listing
from tests.factories import CommuneFactory, DepartmentFactory, ListingFactory, UserFactory

from .test_edit_link import form_data

pytestmark = pytest.mark.django_db

DEPARTMENT_PAGE = "/departements/49-maine-et-loire/"
PUBLIC_PAGES = [
    DEPARTMENT_PAGE,
    "/departements/49-maine-et-loire/carte.geojson",
    "/departements/49-maine-et-loire/export.csv",
    "/export/activites.geojson",
    "/sitemap-activites.xml",
]


def run_command():
    """The daily command, as cron runs it; returns what it printed."""
    from io import StringIO

    out = StringIO()
    call_command("confirm_listings", stdout=out)
    return out.getvalue()


def links(message):
    """The private links of an email: (confirmation, edit)."""
    confirm = re.search(r"https?://\S+/modifier/(\S+)/confirmer/", message.body)[1]
    edit = re.search(r"https?://\S+/modifier/([^/\s]+)/\n", message.body)[1]
    return confirm, edit


@pytest.fixture
def approved(clock, angers, category, moderator, django_capture_on_commit_callbacks):
    """A listing a volunteer approved on 1 March 2026 (day 0 of the clock)."""
    listing = ListingFactory(
        name="Ferme du Lac", email="lac@example.org", status=Listing.Status.PENDING, categories=[category]
    )
    with django_capture_on_commit_callbacks(execute=True):
        decide_listing(listing.pk, "approve", moderator)
    mail.outbox.clear()
    listing.refresh_from_db()
    return listing


def test_approval_sets_the_confirmation_date(approved, clock):
    assert approved.confirmed_at == clock.now


def test_the_whole_timeline(client, approved, clock, moderator):
    clock.travel(days=364)
    assert "0 producers asked" in run_command()
    assert not mail.outbox

    # Day 365: the question, in French (the producer's language), with both links.
    clock.travel(days=1)
    assert "1 producers asked, 0 reminded, 0 listings hidden" in run_command()
    [ask] = mail.outbox
    assert ask.to == ["lac@example.org"]
    assert ask.subject == "Votre fiche « Ferme du Lac » est-elle toujours exacte ?"
    assert "1 mars 2026" in ask.body and "30 avril 2027" in ask.body  # checked on, hidden on (day 425)
    confirm_token, edit_token = links(ask)
    # The HTML part has the same two links, as buttons.
    [(html, mimetype)] = ask.alternatives
    assert mimetype == "text/html" and '<html lang="fr">' in html
    assert (
        f'href="{settings.SITE_URL}/modifier/{confirm_token}/confirmer/"' in html and "Oui, rien n’a changé</a>" in html
    )
    assert f'href="{settings.SITE_URL}/modifier/{edit_token}/"' in html and "La mettre à jour</a>" in html
    assert EditToken.find(confirm_token).listing == approved
    assert client.get(f"/modifier/{edit_token}/").status_code == 200
    run_command()
    assert len(mail.outbox) == 1, "a second run the same day sends nothing"

    # Day 394: nothing; day 395: the reminder, once.
    clock.travel(days=29)
    run_command()
    assert len(mail.outbox) == 1
    clock.travel(days=1)
    assert "0 producers asked, 1 reminded" in run_command()
    run_command()
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("Rappel")

    # Day 424: still public; day 425: hidden from every public page, not deleted, and the producer told.
    clock.travel(days=29)
    run_command()
    assert client.get(approved.get_absolute_url()).status_code == 200
    clock.travel(days=1)
    assert "1 listings hidden" in run_command()
    run_command()
    assert len(mail.outbox) == 3
    hidden_mail = mail.outbox[2]
    assert "masquée" in hidden_mail.subject
    approved.refresh_from_db()
    assert approved.status == Listing.Status.UNCONFIRMED
    assert client.get(approved.get_absolute_url()).status_code == 404
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert "Ferme du Lac" not in body.decode(), url
    assert Decision.objects.filter(action="hide", moderator=None, object_id=approved.pk).exists()
    # ...and the volunteers see it in their stale queue.
    volunteer = Client()
    volunteer.force_login(moderator)
    stale = volunteer.get(reverse("admin:moderation_stalelisting_changelist")).content.decode()
    assert "Ferme du Lac" in stale and "Masquée : non confirmée" in stale

    # The link of the last email: GET only shows the page (a mail scanner changes nothing), POST confirms.
    confirm_url = f"/modifier/{links(hidden_mail)[0]}/confirmer/"
    assert f'{confirm_url}" style' in hidden_mail.alternatives[0][0], "the HTML part's button"
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert "Oui, rien n’a changé" in page.content.decode()
    approved.refresh_from_db()
    assert approved.status == Listing.Status.UNCONFIRMED
    thanks = client.post(confirm_url)
    assert thanks.status_code == 200
    assert "Merci" in thanks.content.decode() and "de retour dans l’annuaire" in thanks.content.decode()
    approved.refresh_from_db()
    assert (approved.status, approved.confirmed_at) == (Listing.Status.PUBLISHED, clock.now)
    public = client.get(approved.get_absolute_url()).content.decode()
    assert "Informations vérifiées le 30 avril 2027." in public
    assert f'"dateModified":"{clock.now.isoformat()}"' in public
    assert "Ferme du Lac" in client.get(DEPARTMENT_PAGE).content.decode()
    confirmation = Decision.objects.filter(action="confirm").get()
    assert (confirmation.moderator, confirmation.target) == (None, approved)

    # Confirmed: nothing more this year, the question again a year later.
    run_command()
    clock.travel(days=364)
    run_command()
    assert len(mail.outbox) == 3
    clock.travel(days=1)
    assert "1 producers asked" in run_command()
    assert len(mail.outbox) == 4


def test_an_approved_edit_resets_the_date(client, approved, clock, moderator, django_capture_on_commit_callbacks):
    clock.travel(days=300)
    token = EditToken.issue(approved)
    client.post(f"/modifier/{token}/", form_data(approved, name="Ferme du Lac Bleu"))
    revision = Revision.objects.get()
    # Waiting for review: the producer has answered, nothing is asked meanwhile.
    clock.travel(days=70)
    assert freshness.run().asked == 0
    with django_capture_on_commit_callbacks(execute=True):
        revision.approve(by=moderator)
    approved.refresh_from_db()
    assert approved.confirmed_at == clock.now
    mail.outbox.clear()
    clock.travel(days=364)
    assert freshness.run().asked == 0
    clock.travel(days=1)
    assert freshness.run().asked == 1


def test_an_edit_sent_while_hidden_brings_it_back_once_approved(client, approved, clock, moderator):
    clock.travel(days=365)
    freshness.run()
    clock.travel(days=30)
    freshness.run()
    clock.travel(days=30)
    freshness.run()
    approved.refresh_from_db()
    assert approved.status == Listing.Status.UNCONFIRMED
    token = EditToken.issue(approved)
    edit_page = client.get(f"/modifier/{token}/").content.decode()
    assert "masquée" in edit_page and f"/modifier/{token}/confirmer/" in edit_page
    client.post(f"/modifier/{token}/", form_data(approved, opening_hours="Mo-Sa 08:00-12:00"))
    Revision.objects.get().approve(by=moderator)
    approved.refresh_from_db()
    assert (approved.status, approved.opening_hours) == (Listing.Status.PUBLISHED, "Mo-Sa 08:00-12:00")


def test_a_listing_already_old_gets_the_whole_delay(clock, angers):
    """Listings confirmed long ago (the migration, or cron stopped) are asked first, never hidden the same day."""
    listing = ListingFactory(email="vieux@example.org", confirmed_at=clock.now - timedelta(days=700))
    assert (freshness.run().asked, freshness.run().reminded) == (1, 0)
    clock.travel(days=30)
    result = freshness.run()
    assert (result.reminded, result.hidden) == (1, 0)
    clock.travel(days=29)
    assert freshness.run().hidden == 0
    clock.travel(days=1)
    assert freshness.run().hidden == 1
    listing.refresh_from_db()
    assert listing.status == Listing.Status.UNCONFIRMED


@contextmanager
def refusing(monkeypatch):
    """The mail server refuses every email while the context is open."""

    def refuse(self):
        raise OSError("550 recipient refused")

    with monkeypatch.context() as patch:
        patch.setattr(emails.EmailMultiAlternatives, "send", refuse)
        yield


def test_a_refused_email_is_sent_again_at_the_next_run(approved, clock, monkeypatch):
    clock.travel(days=365)
    with refusing(monkeypatch):
        result = freshness.run()
    assert (result.asked, result.not_sent) == (1, 1)
    assert ConfirmationStep.objects.get().emailed is False
    assert EditToken.objects.filter(listing=approved).count() == 0, "no link was handed out"
    clock.travel(days=1)
    result = freshness.run()
    assert (result.asked, result.sent_again) == (0, 1)
    assert len(mail.outbox) == 1 and links(mail.outbox[0])
    assert ConfirmationStep.objects.get().emailed is True
    assert freshness.run().sent_again == 0, "sent once"
    assert len(mail.outbox) == 1
    assert approved not in freshness.stale_listings()


def test_an_address_that_keeps_refusing_still_leaves_the_public_pages(approved, clock, monkeypatch, client):
    """A dead producer's mailbox must not keep a dead listing public: the volunteers see it after a week of refusals,
    and the year goes on without the emails."""
    with refusing(monkeypatch):
        clock.travel(days=365)
        assert freshness.run().asked == 1
        for _day in range(6):
            clock.travel(days=1)
            assert freshness.run().not_sent == 1
        assert approved not in freshness.stale_listings()
        clock.travel(days=1)
        assert freshness.run().not_sent == 0, "a week of tries is enough"
        assert approved in freshness.stale_listings()
        assert freshness.stale_listings().get(pk=approved.pk).email_refused
        clock.travel(days=395 - 372)
        assert freshness.run().reminded == 1
        clock.travel(days=30)
        assert freshness.run().hidden == 1
    approved.refresh_from_db()
    assert approved.status == Listing.Status.UNCONFIRMED
    assert client.get(approved.get_absolute_url()).status_code == 404
    assert not mail.outbox


def test_the_reminder_and_the_hiding_never_come_the_same_day(approved, clock):
    """Cron stopped between day 366 and day 426: the reminder still gives its 30 days before the listing is hidden."""
    clock.travel(days=365)
    assert freshness.run().asked == 1
    clock.travel(days=426 - 365)
    result = freshness.run()
    assert (result.reminded, result.hidden) == (1, 0)
    reminder = mail.outbox[-1]
    hidden_on = clock.now + timedelta(days=30)
    assert hidden_on.strftime("%Y") in reminder.body and str(hidden_on.day) in reminder.body
    clock.travel(days=29)
    assert freshness.run().hidden == 0
    clock.travel(days=1)
    assert freshness.run().hidden == 1


@pytest.mark.parametrize(
    ("ask", "remind", "hide"),
    [(365, 30, 395), (365, 30, 300)],
)
def test_settings_that_would_hide_before_the_reminder_stop_the_site(ask, remind, hide):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "LISTING_CONFIRM_AFTER_DAYS": str(ask),
        "LISTING_CONFIRM_REMINDER_DAYS": str(remind),
        "LISTING_HIDE_AFTER_DAYS": str(hide),
        "DJANGO_SETTINGS_MODULE": "localdir.settings",
    }
    env.pop("DATABASE_URL", None)
    code = "import django; django.setup()"
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert run.returncode != 0
    assert "LISTING_HIDE_AFTER_DAYS must be more than" in run.stderr


def test_an_english_producer_gets_english_links(approved, clock, client):
    Listing.objects.filter(pk=approved.pk).update(language="en")
    clock.travel(days=365)
    assert freshness.run().asked == 1
    body = mail.outbox[0].body
    assert "/en/modifier/" in body or "/en/" in body.split("confirmer")[0][-80:], body
    confirm, _edit = links(mail.outbox[0])
    page = client.get(f"/en/modifier/{confirm}/confirmer/")
    assert page.status_code == 200
    assert 'lang="en"' in page.content.decode()


def test_a_listing_without_email_goes_to_the_volunteers(clock, angers, client, moderator):
    listing = ListingFactory(name="Ferme sans courriel", email="", phone="02 41 00 00 00")
    clock.travel(days=364)
    assert listing not in freshness.stale_listings()
    clock.travel(days=1)
    assert freshness.run().asked == 1
    assert not mail.outbox
    assert ConfirmationStep.objects.get().emailed is False
    client.force_login(moderator)
    page = client.get(reverse("admin:moderation_stalelisting_changelist")).content.decode()
    assert "Ferme sans courriel" in page and "Pas d’adresse e-mail" in page
    assert listing in freshness.stale_listings()


def test_running_twice_at_once_sends_once(approved, clock):
    """Two runs that listed the same listing: the second finds its step taken and sends nothing."""
    clock.travel(days=365)
    pks = list(freshness.due(ConfirmationStep.Step.ASK, clock.now).values_list("pk", flat=True))
    assert freshness._take(pks[0], ConfirmationStep.Step.ASK, clock.now) is True
    assert freshness._take(pks[0], ConfirmationStep.Step.ASK, clock.now) is False
    assert len(mail.outbox) == 1


class TestConfirmPage:
    def test_get_changes_nothing_and_post_confirms(self, client, approved, clock):
        token = EditToken.issue(approved)
        clock.travel(days=200)
        assert client.get(f"/modifier/{token}/confirmer/").status_code == 200
        approved.refresh_from_db()
        assert approved.confirmed_at == clock.now - timedelta(days=200)
        assert not Decision.objects.filter(action="confirm").exists()
        client.post(f"/modifier/{token}/confirmer/")
        approved.refresh_from_db()
        assert approved.confirmed_at == clock.now

    def test_a_forged_link_is_refused(self, client, approved):
        assert client.post("/modifier/forged:token/confirmer/").status_code == 404
        assert not Decision.objects.filter(action="confirm").exists()

    def test_other_methods_are_refused(self, client, approved):
        token = EditToken.issue(approved)
        assert client.put(f"/modifier/{token}/confirmer/").status_code == 405

    def test_a_withdrawn_listing_cannot_be_confirmed_by_its_producer(self, client, approved, moderator):
        token = EditToken.issue(approved)
        decide_listing(approved.pk, "withdraw", moderator, "Fermé.")
        assert client.post(f"/modifier/{token}/confirmer/").status_code == 410
        approved.refresh_from_db()
        assert approved.status == Listing.Status.UNPUBLISHED

    def test_a_pending_listing_has_nothing_to_confirm(self, client, angers):
        listing = ListingFactory(status=Listing.Status.PENDING)
        token = EditToken.issue(listing)
        response = client.post(f"/modifier/{token}/confirmer/")
        assert "rien à confirmer" in response.content.decode()
        listing.refresh_from_db()
        assert (listing.status, listing.confirmed_at) == (Listing.Status.PENDING, None)

    def test_the_lost_link_form_reaches_a_hidden_listing(self, client, angers, django_capture_on_commit_callbacks):
        from .test_lost_link import post

        ListingFactory(email="cache@example.org", status=Listing.Status.UNCONFIRMED)
        with django_capture_on_commit_callbacks(execute=True):
            post(client, "cache@example.org")
        assert len(mail.outbox) == 1 and "/modifier/" in mail.outbox[0].body


class TestStaleQueue:
    @pytest.fixture
    def hidden(self, angers):
        return ListingFactory(name="Ferme Cachée", email="c@example.org", status=Listing.Status.UNCONFIRMED)

    def test_a_shoppers_closed_report_feeds_it(self, angers, moderator_client):
        listing = ListingFactory(name="Ferme Signalée")
        ErrorReport.objects.create(listing=listing, kind=ErrorReport.Kind.WRONG_INFO, message="Horaires faux")
        assert listing not in freshness.stale_listings()
        ErrorReport.objects.create(listing=listing, kind=ErrorReport.Kind.CLOSED, message="Fermé depuis juin")
        page = moderator_client.get(reverse("admin:moderation_stalelisting_changelist")).content.decode()
        assert "Ferme Signalée" in page and "Signalée fermée définitivement" in page

    def test_a_volunteer_confirms_by_phone(
        self, clock, hidden, moderator, moderator_client, django_capture_on_commit_callbacks
    ):
        report = ErrorReport.objects.create(listing=hidden, kind=ErrorReport.Kind.CLOSED, message="Fermé ?")
        with django_capture_on_commit_callbacks(execute=True):
            response = moderator_client.post(
                reverse("admin:moderation_stalelisting_changelist"),
                {"action": "confirm_by_phone", "_selected_action": [hidden.pk]},
            )
        assert response.status_code == 302
        hidden.refresh_from_db()
        assert (hidden.status, hidden.confirmed_at) == (Listing.Status.PUBLISHED, clock.now)
        report.refresh_from_db()
        assert report.status == ErrorReport.Status.DISMISSED
        decision = Decision.objects.get(action="confirm")
        assert (decision.moderator, decision.target, decision.reason) == (moderator, hidden, "Confirmée par téléphone.")
        assert mail.outbox[0].to == ["c@example.org"] and "confirmée" in mail.outbox[0].subject
        assert hidden not in freshness.stale_listings()

    def test_the_review_page_records_a_confirmation(self, hidden, moderator, moderator_client):
        review = reverse("admin:moderation_review", args=["listing", hidden.pk])
        assert "Confirmée : toujours exacte" in moderator_client.get(review).content.decode()
        moderator_client.post(
            reverse("admin:moderation_decide", args=["listing", hidden.pk]),
            {"action": "confirm", "reason": "Appelée le 3 mai"},
        )
        hidden.refresh_from_db()
        assert hidden.status == Listing.Status.PUBLISHED
        assert Decision.objects.get(action="confirm").reason == "Appelée le 3 mai"

    def test_a_volunteer_may_still_withdraw_a_hidden_listing(self, hidden, moderator):
        decide_listing(hidden.pk, "withdraw", moderator, "Fermée définitivement.")
        hidden.refresh_from_db()
        assert hidden.status == Listing.Status.UNPUBLISHED

    def test_the_volunteers_departments_come_first(self, client, hidden):
        gironde = DepartmentFactory(code="33", name="Gironde")
        bordeaux = CommuneFactory(insee_code="33063", name="Bordeaux", department=gironde, postal_codes="33000")
        ListingFactory(name="Ferme Girondine", commune=bordeaux, status=Listing.Status.UNCONFIRMED)
        bob = UserFactory(username="bob", is_staff=True)
        from django.contrib.auth.models import Group

        from moderation.models import ModeratorProfile

        bob.groups.add(Group.objects.get(name="Modérateurs"))
        ModeratorProfile.objects.create(user=bob).departments.add(gironde)
        client.force_login(bob)
        page = client.get(reverse("admin:moderation_stalelisting_changelist")).content.decode()
        assert page.index("Ferme Girondine") < page.index("Ferme Cachée")

    def test_people_without_the_volunteers_rights_cannot_see_or_confirm(self, client, hidden):
        url = reverse("admin:moderation_stalelisting_changelist")
        assert client.get(url).status_code == 302  # to the login page
        client.force_login(UserFactory(username="carol", is_staff=True))
        assert client.get(url).status_code == 403
        client.post(url, {"action": "confirm_by_phone", "_selected_action": [hidden.pk]})
        hidden.refresh_from_db()
        assert hidden.status == Listing.Status.UNCONFIRMED

    def test_the_admin_home_counts_it(self, hidden, moderator_client):
        page = moderator_client.get(reverse("admin:index")).content.decode()
        assert re.search(r"Fiches à vérifier</a></th><td>1<", page)


def test_the_migration_dates_published_listings_from_their_last_decision(angers, moderator):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("moderation.migrations.0013_confirmed_at_of_published_listings")
    approved_long_ago = ListingFactory(status=Listing.Status.PENDING)
    decide_listing(approved_long_ago.pk, "approve", moderator)
    Decision.objects.update(created_at=timezone.now() - timedelta(days=800))
    never_decided = ListingFactory()
    Listing.objects.update(confirmed_at=None)
    migration.set_confirmed_at(apps, None)
    approved_long_ago.refresh_from_db()
    never_decided.refresh_from_db()
    assert approved_long_ago.confirmed_at == Decision.objects.get().created_at
    assert never_decided.confirmed_at == never_decided.published_at


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("admin:moderation_stalelisting_changelist", Listing.Status.UNCONFIRMED),
        ("admin:moderation_pendinglisting_changelist", Listing.Status.PENDING),
    ],
)
def test_the_volunteers_lists_cost_the_same_queries_for_2_or_12_rows(url, status, angers, moderator_client):
    """The town column names its department: fetched with the rows, not once per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (2, 12):
        ListingFactory.create_batch(size - Listing.objects.filter(status=status).count(), status=status)
        with CaptureQueriesContext(connection) as queries:
            page = moderator_client.get(reverse(url))
        assert page.status_code == 200
        assert page.content.decode().count("(49)") >= size, "every row shows its town and department"
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_listing_nobody_claims_back_is_deleted_with_its_data(approved, clock):
    """Hidden at day 425 and still unconfirmed six months later: the daily purge deletes it, as the hiding email
    said; a listing confirmed meanwhile is kept."""
    from moderation import retention

    kept = ListingFactory(name="Ferme Revenue", email="revenue@example.org", confirmed_at=approved.confirmed_at)
    for day in (365, 395, 425):
        clock.travel(days=day - (clock.now - approved.confirmed_at).days)
        freshness.run()
    hidden_email = mail.outbox[-1]
    assert Listing.objects.filter(status=Listing.Status.UNCONFIRMED).count() == 2
    deleted_on = clock.now + timedelta(days=retention.retention_days())
    assert f"sans réponse, elle le sera avec vos données le {deleted_on.day} " in hidden_email.body
    token = EditToken.issue(kept)
    Client().post(f"/modifier/{token}/confirmer/")
    clock.travel(days=retention.retention_days() - 1)
    assert retention.purge().forgotten_listings == 0
    clock.travel(days=1)
    assert retention.purge().forgotten_listings == 1
    assert not Listing.objects.filter(pk=approved.pk).exists()
    kept.refresh_from_db()
    assert kept.status == Listing.Status.PUBLISHED
