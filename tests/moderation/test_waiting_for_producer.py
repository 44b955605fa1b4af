"""Volunteers' queues: an item a volunteer asked the producer to change says so, until the producer sends their
changes, so that a second volunteer does not review it again meanwhile."""

import re

import pytest
from django.urls import reverse

from moderation.models import EditToken, Revision, decide_listing
from producers.models import Listing
from tests.factories import ListingFactory

from .test_edit_link import form_data

pytestmark = pytest.mark.django_db

LISTINGS = reverse("admin:moderation_pendinglisting_changelist")
REVISIONS = reverse("admin:moderation_revision_changelist")
QUEUE = reverse("admin:moderation_queue")
WAITING = "En attente du producteur"


def rows(html):
    """{name shown in the row: the row's text} of an admin changelist."""
    table = re.search(r'<table id="result_list">.*?</table>', html, re.S)
    found = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table[0] if table else "", re.S)[1:]:
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        found[text.split(" Angers")[0]] = text
    return found


def queue_rows(html):
    section = re.search(r'<h2 id="listings">.*?</table>', html, re.S)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)) for row in re.findall(r"<tr>(.*?)</tr>", section, re.S)]


@pytest.fixture
def listings(angers, category, moderator, clock):
    asked = ListingFactory(
        name="Ferme Floue", status=Listing.Status.PENDING, email="f@example.org", categories=[category]
    )
    ListingFactory(name="Ferme Nette", status=Listing.Status.PENDING)
    clock.travel(minutes=5)
    decide_listing(asked.pk, "request_changes", moderator, "La photo est floue.")
    return asked


def test_a_new_listing_changes_were_asked_of_is_marked_and_filtered(moderator_client, listings):
    found = rows(moderator_client.get(LISTINGS).content.decode())
    assert WAITING in found["Ferme Floue"]
    assert WAITING not in found["Ferme Nette"] and "À relire" in found["Ferme Nette"]

    assert list(rows(moderator_client.get(LISTINGS, {"next_step": "producer"}).content.decode())) == ["Ferme Floue"]
    assert list(rows(moderator_client.get(LISTINGS, {"next_step": "review"}).content.decode())) == ["Ferme Nette"]

    [floue] = [row for row in queue_rows(moderator_client.get(QUEUE).content.decode()) if "Ferme Floue" in row]
    assert WAITING in floue


def test_the_producers_changes_put_it_back_to_review(client, moderator_client, listings, clock):
    clock.travel(days=1)
    token = EditToken.issue(listings)
    response = client.post(f"/modifier/{token}/", form_data(listings, description="Une photo nette."))
    assert "moderation/edit_saved.html" in [t.name for t in response.templates]

    found = rows(moderator_client.get(LISTINGS).content.decode())
    assert WAITING not in found["Ferme Floue"] and "À relire" in found["Ferme Floue"]
    [floue] = [row for row in queue_rows(moderator_client.get(QUEUE).content.decode()) if "Ferme Floue" in row]
    assert WAITING not in floue and "renvoyée" in floue


def test_an_edit_changes_were_asked_of_is_marked_until_the_next_edit(
    client, moderator_client, angers, category, moderator, clock
):
    listing = ListingFactory(name="Ferme du Lac", email="lac@example.org", categories=[category])
    token = EditToken.issue(listing)
    client.post(f"/modifier/{token}/", form_data(listing, name="Ferme du Lac Bleu"))
    assert Revision.objects.count() == 1
    Revision.objects.get().decide("request_changes", moderator, "Quel lac ?")

    def revision_rows(**query):
        html = moderator_client.get(REVISIONS, query).content.decode()
        table = re.search(r'<table id="result_list">.*?</table>', html, re.S)
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table[0] if table else "", re.S)[1:]
        return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]

    [row] = revision_rows()
    assert WAITING in row
    assert len(revision_rows(next_step="producer")) == 1

    clock.travel(hours=2)
    client.post(f"/modifier/{token}/", form_data(listing, name="Ferme du Lac d’Angers"))
    first, second = revision_rows()
    assert WAITING not in first and "Modifications demandées" in first
    assert "À relire" in second
    assert revision_rows(next_step="producer") == []
    assert len(revision_rows(next_step="review")) == 1
