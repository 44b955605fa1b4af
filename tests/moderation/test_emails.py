"""Emails to producers: in the language they used on the form, with a Reply-To to the volunteers, and sent only
once what caused them is committed."""

import logging

import pytest
from django.core import mail
from django.db import transaction

from moderation import emails
from moderation.admin import decide
from moderation.models import Decision, EditToken
from producers.models import Listing
from tests.factories import ListingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer(db):
    return UserFactory(username="alice", is_staff=True)


class TestLanguage:
    def test_a_producer_who_filled_the_english_form_gets_english_emails(
        self, client, submission, volunteer, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post("/en/inscrire/", submission).status_code == 302
        listing = Listing.objects.get()
        assert listing.language == "en"
        assert mail.outbox[0].subject == "Your listing “Ferme des Trois Chênes” awaits review"
        assert "Here is your private link." in mail.outbox[0].body
        with django_capture_on_commit_callbacks(execute=True):
            decide("listing", listing.pk, Decision.Action.REQUEST_CHANGES, volunteer, "Which vegetables?")
        assert "asks you for a few changes" in mail.outbox[1].body
        assert "Which vegetables?" in mail.outbox[1].body

    def test_the_french_form_gives_french_emails(self, client, submission, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/inscrire/", submission)
        assert Listing.objects.get().language == "fr"
        assert mail.outbox[0].subject == "Votre fiche « Ferme des Trois Chênes » attend la relecture"
        assert "Voici votre lien privé." in mail.outbox[0].body

    def test_an_edit_in_english_switches_the_emails_to_english(
        self, client, angers, category, volunteer, django_capture_on_commit_callbacks
    ):
        from .test_edit_link import form_data

        listing = ListingFactory(status=Listing.Status.PENDING, email="p@example.org", categories=[category])
        token = EditToken.issue(listing)
        assert client.post(f"/en/modifier/{token}/", form_data(listing)).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            decide("listing", listing.pk, Decision.Action.APPROVE, volunteer)
        assert "is approved and visible" in mail.outbox[0].body

    def test_a_listing_without_a_language_gets_the_sites_language(
        self, angers, volunteer, django_capture_on_commit_callbacks
    ):
        listing = ListingFactory(status=Listing.Status.PENDING, email="p@example.org", language="")
        with django_capture_on_commit_callbacks(execute=True):
            decide("listing", listing.pk, Decision.Action.REJECT, volunteer, "Hors sujet.")
        assert mail.outbox[0].subject.startswith("Votre fiche")
        assert "pour la raison suivante" in mail.outbox[0].body and "Hors sujet." in mail.outbox[0].body


class TestReplyTo:
    def test_the_volunteers_address_is_the_reply_to_and_the_email_says_so(
        self, angers, volunteer, settings, django_capture_on_commit_callbacks
    ):
        settings.MODERATION_REPLY_TO = "benevoles@example.org"
        listing = ListingFactory(status=Listing.Status.PENDING, email="p@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            decide("listing", listing.pk, Decision.Action.REQUEST_CHANGES, volunteer, "Quels légumes ?")
        message = mail.outbox[0]
        assert message.reply_to == ["benevoles@example.org"]
        assert message.message()["Reply-To"] == "benevoles@example.org"
        assert "Répondez à cet e-mail" in message.body

    def test_without_the_setting_no_reply_to_and_no_promise(
        self, angers, volunteer, settings, django_capture_on_commit_callbacks
    ):
        settings.MODERATION_REPLY_TO = ""
        listing = ListingFactory(status=Listing.Status.PENDING, email="p@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            decide("listing", listing.pk, Decision.Action.REQUEST_CHANGES, volunteer, "Quels légumes ?")
        assert mail.outbox[0].message()["Reply-To"] is None
        assert "Répondez à cet e-mail" not in mail.outbox[0].body

    def test_the_edit_page_says_the_producer_can_answer(self, client, angers, volunteer, settings):
        settings.MODERATION_REPLY_TO = "benevoles@example.org"
        listing = ListingFactory(status=Listing.Status.PENDING, email="p@example.org")
        token = EditToken.issue(listing)
        decide("listing", listing.pk, Decision.Action.REQUEST_CHANGES, volunteer, "Quels légumes ?")
        assert "répondez à son e-mail" in client.get(f"/modifier/{token}/").content.decode()


class TestAfterCommit:
    def test_a_failing_mail_server_keeps_the_submission_and_shows_the_success_page(
        self, client, submission, settings, caplog, django_capture_on_commit_callbacks
    ):
        settings.EMAIL_BACKEND = "tests.moderation.test_robustness.BrokenMailServer"
        with caplog.at_level(logging.ERROR, logger="moderation.emails"):
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post("/inscrire/", submission, follow=True)
        assert response.redirect_chain[-1][0] == "/inscrire/merci/"
        assert Listing.objects.get().status == Listing.Status.PENDING
        assert "'submitted' to ferme@example.org not sent" in caplog.text
        # The link that never left is not kept.
        assert not EditToken.objects.exists()

    def test_nothing_is_sent_before_the_commit(self, client, submission, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            client.post("/inscrire/", submission)
            assert not mail.outbox
        assert len(callbacks) == 1
        callbacks[0]()
        assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_sends_nothing_and_leaves_no_link(angers):
    listing = ListingFactory(status=Listing.Status.PENDING, email="p@example.org")
    with pytest.raises(RuntimeError), transaction.atomic():
        emails.send_with_link("submitted", listing)
        raise RuntimeError("the submission failed after the email was asked for")
    assert not mail.outbox
    assert not EditToken.objects.exists()
    emails.send_with_link("submitted", listing)  # no transaction: sent at once
    assert len(mail.outbox) == 1
