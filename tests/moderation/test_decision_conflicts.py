"""Two volunteers on the same new listing, or one clicking twice: the producer gets one decision, never two
contradictory emails, and a volunteer whose decision could not be applied keeps the message they typed."""

import re
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from moderation.models import Decision, decide_listing
from producers.models import Listing
from tests.factories import ListingFactory, UserFactory

from .concurrency import at_once

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:moderation_queue")


def review_url(pk):
    return reverse("admin:moderation_review", args=["listing", pk])


def decide_url(pk):
    return reverse("admin:moderation_decide", args=["listing", pk])


def volunteer(name):
    group, _created = Group.objects.get_or_create(name="Modérateurs")
    # The group comes from a migration that a flush between transactional tests erases: rebuilt from its own list.
    for app_label, codename in import_module("moderation.migrations.0003_moderators_group").PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user = UserFactory(username=name, is_staff=True)
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    return client


def seen_on(client, listing):
    """The version token of the review page, as the volunteer's browser holds it."""
    return re.search(r'name="seen" value="([^"]+)"', client.get(review_url(listing.pk)).content.decode())[1]


@pytest.fixture
def pending(angers):
    return ListingFactory(status=Listing.Status.PENDING, email="ferme@example.org")


def test_a_volunteer_approving_after_another_asked_for_changes_is_told_and_nothing_is_published(
    angers, pending, django_capture_on_commit_callbacks
):
    alice, bob = volunteer("alice"), volunteer("bob")
    alice_seen, bob_seen = seen_on(alice, pending), seen_on(bob, pending)
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(
            decide_url(pending.pk), {"action": "request_changes", "reason": "Ajoutez vos horaires.", "seen": alice_seen}
        )
        response = bob.post(decide_url(pending.pk), {"action": "approve", "seen": bob_seen}, follow=True)
    assert "autre bénévole a déjà statué" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Listing.Status.PENDING
    assert list(Decision.objects.values_list("moderator_name", "action")) == [("alice", "request_changes")]
    assert len(mail.outbox) == 1


def test_two_volunteers_asking_for_changes_send_the_producer_one_message(
    angers, pending, django_capture_on_commit_callbacks
):
    alice, bob = volunteer("alice"), volunteer("bob")
    alice_seen, bob_seen = seen_on(alice, pending), seen_on(bob, pending)
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(decide_url(pending.pk), {"action": "request_changes", "reason": "Les photos.", "seen": alice_seen})
        bob.post(decide_url(pending.pk), {"action": "request_changes", "reason": "La description.", "seen": bob_seen})
    assert list(Decision.objects.values_list("reason", flat=True)) == ["Les photos."]
    assert len(mail.outbox) == 1 and "Les photos." in mail.outbox[0].body


def test_a_message_refused_for_being_empty_then_written_still_stops_after_another_volunteers_decision(
    angers, pending, django_capture_on_commit_callbacks
):
    """Alice opens the page; Bob asks for changes; Alice clicks "ask for changes" with the box empty, is shown the
    page again, writes her message and sends: the producer gets Bob's request only."""
    alice, bob = volunteer("alice"), volunteer("bob")
    alice_seen = seen_on(alice, pending)
    with django_capture_on_commit_callbacks(execute=True):
        bob.post(
            decide_url(pending.pk),
            {"action": "request_changes", "reason": "Photo floue.", "seen": seen_on(bob, pending)},
        )
        page = alice.post(decide_url(pending.pk), {"action": "request_changes", "reason": "", "seen": alice_seen})
        assert page.status_code == 200
        seen_again = re.search(r'name="seen" value="([^"]+)"', page.content.decode())[1]
        answer = alice.post(
            decide_url(pending.pk), {"action": "request_changes", "reason": "Ajoutez un téléphone.", "seen": seen_again}
        )
    assert answer.url == review_url(pending.pk)  # back on the page, told another volunteer decided
    assert list(Decision.objects.values_list("reason", flat=True)) == ["Photo floue."]
    assert len(mail.outbox) == 1


def test_a_double_click_decides_once_and_says_so(angers, pending, django_capture_on_commit_callbacks):
    alice = volunteer("alice")
    data = {"action": "request_changes", "reason": "Ajoutez vos horaires.", "seen": seen_on(alice, pending)}
    with django_capture_on_commit_callbacks(execute=True):
        first = alice.post(decide_url(pending.pk), data)
        second = alice.post(decide_url(pending.pk), data, follow=True)
    assert first["Location"] == QUEUE
    # The second click lands where the first did, without blaming "another volunteer".
    assert second.redirect_chain[-1][0] == QUEUE
    page = second.content.decode()
    assert "Vous avez déjà statué" in page and "autre bénévole" not in page
    assert Decision.objects.count() == 1 and len(mail.outbox) == 1


def test_a_double_click_on_still_correct_confirms_once(angers, django_capture_on_commit_callbacks):
    listing = ListingFactory(email="ferme@example.org")
    alice = volunteer("alice")
    data = {"action": "confirm", "reason": "", "seen": seen_on(alice, listing)}
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(decide_url(listing.pk), data)
        alice.post(decide_url(listing.pk), data)
    assert Decision.objects.count() == 1 and len(mail.outbox) == 1


def test_the_message_typed_is_given_back_when_the_producer_changed_the_listing_meanwhile(angers, pending):
    alice = volunteer("alice")
    seen = seen_on(alice, pending)
    pending.description = "Une description corrigée par le producteur."
    pending.save()
    message = "Merci d’ajouter une photo de votre étal et vos jours de marché."
    response = alice.post(decide_url(pending.pk), {"action": "request_changes", "reason": message, "seen": seen})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Le producteur a modifié cette fiche pendant que vous la lisiez" in page
    textarea = re.search(r'<textarea name="reason"[^>]*id="id_reason"[^>]*>(.*?)</textarea>', page, re.S)[1]
    assert textarea.strip() == message
    assert "Une description corrigée par le producteur." in page
    assert not Decision.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_volunteers_asking_for_changes_at_the_same_moment_decide_once(angers):
    """Real threads on PostgreSQL: the row lock makes the second wait, then it sees the first one's decision."""
    pending = ListingFactory(status=Listing.Status.PENDING, email="ferme@example.org")
    alice, bob = volunteer("alice"), volunteer("bob")
    alice_seen, bob_seen = seen_on(alice, pending), seen_on(bob, pending)
    responses = at_once(
        lambda: alice.post(decide_url(pending.pk), {"action": "request_changes", "reason": "A", "seen": alice_seen}),
        lambda: bob.post(decide_url(pending.pk), {"action": "request_changes", "reason": "B", "seen": bob_seen}),
    )
    assert sorted(r["Location"] for r in responses) == sorted([QUEUE, review_url(pending.pk)])
    assert Decision.objects.count() == 1
    assert len(mail.outbox) == 1


def test_approving_several_at_once_leaves_those_awaiting_their_producers_changes(angers, moderator_client, moderator):
    asked, other = ListingFactory.create_batch(2, status=Listing.Status.PENDING)
    decide_listing(asked.pk, Decision.Action.REQUEST_CHANGES, moderator, "Votre description cite un tiers.")
    url = reverse("admin:moderation_pendinglisting_changelist")
    response = moderator_client.post(
        url, {"action": "approve_listings", "_selected_action": [asked.pk, other.pk]}, follow=True
    )
    asked.refresh_from_db(), other.refresh_from_db()
    assert (asked.status, other.status) == (Listing.Status.PENDING, Listing.Status.PUBLISHED)
    assert "1 attend les modifications demandées à son producteur" in response.content.decode()

    # Once the producer has sent the changes, it is approved like the others.
    asked.description = "Sans le nom du voisin."
    asked.save()
    moderator_client.post(url, {"action": "approve_listings", "_selected_action": [asked.pk]})
    asked.refresh_from_db()
    assert asked.status == Listing.Status.PUBLISHED
