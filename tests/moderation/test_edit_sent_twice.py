"""Save clicked twice on the private edit page, or the page sent again by the browser: the second request gets the
same answer as the first, "saved", and nothing more is stored. It used to be told "changed in another tab", the
first request's save having moved the page's version: the producer then believed their change lost, or made it
again."""

import copy
from functools import partial

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from moderation.admin import decide
from moderation.models import Decision, EditToken, ProducerEdits, Revision
from producers.models import Listing
from tests.factories import ListingFactory, UserFactory

from .concurrency import at_once
from .tabs import CHANGED_ELSEWHERE, Tab, new_tab
from .test_photos import jpeg

pytestmark = pytest.mark.django_db

SAVED = "Vos modifications sont enregistrées"


def photo():
    """The same photo, as a browser sends it again: a new upload of the same file."""
    return SimpleUploadedFile("etal.jpg", jpeg(), "image/jpeg")


def edits_saved(listing):
    return ProducerEdits.objects.get(listing=listing).count


def sent_twice(client, listing, capture_on_commit):
    """The edit page sent with a description and a photo, then sent again as the browser does (the photo uploaded
    again). Both are answered "saved", one edit is counted and the second sends no email; returns the second answer.
    """
    tab = new_tab(client, listing)
    with capture_on_commit(execute=True):
        first = tab.send(description="Maraîchage.", image_rights="on", photo_1=photo())
        emails = len(mail.outbox)
        second = tab.send(photo_1=photo())
    assert SAVED in first
    assert SAVED in second
    assert CHANGED_ELSEWHERE not in second
    assert edits_saved(listing) == 1
    assert len(mail.outbox) == emails
    return second


def test_a_pending_listings_page_sent_twice_is_saved_once(client, pending, django_capture_on_commit_callbacks):
    sent_twice(client, pending, django_capture_on_commit_callbacks)
    pending.refresh_from_db()
    assert pending.description == "Maraîchage."
    assert pending.photos.count() == 1


def test_a_published_listings_page_sent_twice_makes_one_waiting_edit(
    client, published, django_capture_on_commit_callbacks
):
    second = sent_twice(client, published, django_capture_on_commit_callbacks)
    assert "la version actuelle reste en ligne" in second
    waiting = Revision.objects.get(listing=published)  # one edit, none refused in its place
    assert waiting.status == Revision.Status.PENDING
    assert waiting.data["description"] == "Maraîchage."
    assert waiting.photos.count() == 1


def test_a_page_that_removed_a_photo_sent_again_is_saved_not_refused(client, pending):
    """The second send names the photo the first one removed: answered before its form is checked."""
    tab = new_tab(client, pending)
    tab.send(image_rights="on", photo_1=photo())
    removed = pending.photos.get()
    tab.open()
    assert SAVED in tab.send(remove_photos=[removed.pk])
    second = tab.send()
    assert SAVED in second
    assert not pending.photos.exists()
    assert edits_saved(pending) == 2


def test_another_tab_with_other_changes_is_still_told(client, pending):
    token = EditToken.issue(pending)
    first, second = Tab(client, pending, token), Tab(client, pending, token)
    assert SAVED in first.send(description="Maraîchage.")
    assert SAVED in first.send()
    assert CHANGED_ELSEWHERE in second.send(description="Œufs.")
    pending.refresh_from_db()
    assert pending.description == "Maraîchage."


def test_the_page_sent_again_after_a_newer_edit_is_told(client, pending):
    """Only the form the last edit was saved from is taken for a second click: an older page sent again would undo
    the newer edit without a word."""
    tab = new_tab(client, pending)
    old_page = dict(tab.data, seen=tab.seen, version=tab.version, description="Maraîchage.")
    assert SAVED in tab.send(description="Maraîchage.")
    tab.open()
    assert SAVED in tab.send(description="Maraîchage et œufs.")
    page = client.post(f"/modifier/{tab.token}/", old_page).content.decode()
    assert CHANGED_ELSEWHERE in page
    pending.refresh_from_db()
    assert pending.description == "Maraîchage et œufs."


def test_the_page_sent_again_after_a_volunteers_decision_is_told(client, pending):
    """A refusal changes none of the listing's values: the page sent again then would be answered "saved" and
    store nothing, while the producer means to send it back to the volunteers."""
    tab = new_tab(client, pending)
    assert SAVED in tab.send(description="Maraîchage.")
    decide("listing", pending.pk, Decision.Action.REJECT, UserFactory(is_staff=True), reason="Hors zone.")
    assert CHANGED_ELSEWHERE in tab.send()
    pending.refresh_from_db()
    assert pending.status == Listing.Status.REJECTED


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", [Listing.Status.PENDING, Listing.Status.PUBLISHED])
def test_a_page_sent_twice_at_the_same_moment_is_saved_once_and_both_say_so(angers, category, status):
    """Five rounds of the same page sent twice at once (threads on PostgreSQL): the second request to get the
    listing's row lock finds the first one's save of the same form, and answers as it did."""
    for round_ in range(5):
        cache.clear()  # the forms' rate limit: five saved an hour from one address
        listing = ListingFactory(status=status, name=f"Ferme {round_}", email="lac@example.org", categories=[category])
        token = EditToken.issue(listing)
        first = Tab(Client(), listing, token)
        second = copy.copy(first)  # the same page: what the first click sent, the second sends
        second.client, second.data = Client(), dict(first.data)
        pages = at_once(partial(first.send, description="Maraîchage."), partial(second.send, description="Maraîchage."))
        assert all(isinstance(page, str) for page in pages), pages
        assert [SAVED in page for page in pages] == [True, True]
        assert edits_saved(listing) == 1
        if status == Listing.Status.PENDING:
            listing.refresh_from_db()
            assert listing.description == "Maraîchage."
        else:
            assert Revision.objects.get(listing=listing).data["description"] == "Maraîchage."
