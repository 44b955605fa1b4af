"""The private link opened in two tabs (or on a phone and a computer), both forms sent: the second no longer undoes
the first without a word. It comes back with a message at the top and everything typed in it kept; sent again, it
replaces the first, knowingly."""

import re
from functools import partial

import pytest
from django.core.cache import cache
from django.test import Client
from phonenumber_field.phonenumber import PhoneNumber

from moderation.admin import decide
from moderation.models import Decision, EditToken, Revision
from producers import attendances
from producers.models import Listing
from tests.factories import ListingFactory, UserFactory

from .concurrency import at_once
from .tabs import CHANGED_ELSEWHERE, Tab, new_tab

pytestmark = pytest.mark.django_db


def test_a_pending_listing_the_second_tab_is_told_and_the_first_tabs_edit_stays(client, pending):
    token = EditToken.issue(pending)
    first, second = Tab(client, pending, token), Tab(client, pending, token)
    assert "enregistrées" in first.send(name="Ferme du Lac Bleu")

    page = second.send(phone="02 41 99 99 99")
    assert CHANGED_ELSEWHERE in page
    assert 'value="02 41 99 99 99"' in page  # what the second tab typed is kept
    pending.refresh_from_db()
    assert (pending.name, str(pending.phone)) == ("Ferme du Lac Bleu", "")

    # Sent again from the page that told them: the producer chose to replace the first tab's edit.
    second.open(page)
    assert "enregistrées" in second.send(phone="02 41 99 99 99")
    pending.refresh_from_db()
    assert (pending.name, str(pending.phone)) == ("Ferme du Lac", "02 41 99 99 99")


def test_a_published_listing_the_second_tab_does_not_replace_the_first_tabs_edit(client, published):
    token = EditToken.issue(published)
    first, second = Tab(client, published, token), Tab(client, published, token)
    first.send(name="Ferme du Lac Bleu")

    assert CHANGED_ELSEWHERE in second.send(description="Des légumes toute l’année.")
    assert Revision.objects.pending().get().data["name"] == "Ferme du Lac Bleu"


def test_editing_again_from_the_same_tab_is_no_conflict(client, pending):
    tab = new_tab(client, pending)
    tab.send(name="Ferme du Lac Bleu")
    tab.open()
    page = tab.send(description="Maraîchage.")
    assert CHANGED_ELSEWHERE not in page
    pending.refresh_from_db()
    assert pending.description == "Maraîchage."


def test_a_volunteers_decision_meanwhile_is_told_as_before_not_taken_for_another_tab(client, published):
    volunteer = UserFactory(username="alice", is_staff=True)
    token = EditToken.issue(published)
    Tab(client, published, token).send(name="Ferme du Lac Bleu")
    tab = Tab(client, published, token)
    decide("revision", Revision.objects.get().pk, Decision.Action.APPROVE, volunteer)

    # The page showed the edit as waiting: told it was dealt with, not that another tab changed the listing.
    page = tab.send(name="Ferme du Lac Vert")
    assert CHANGED_ELSEWHERE not in page
    assert "Un bénévole a traité" in page
    assert not Revision.objects.pending().exists()

    tab.open(page)
    page = tab.send()
    assert "a validé les modifications que vous aviez envoyées" in page
    assert Revision.objects.pending().get().data["name"] == "Ferme du Lac Vert"


def test_a_form_refused_for_a_typo_does_not_make_the_stale_page_current(client, pending):
    """Tab A open; tab B saves; tab A is sent with a mistake (name left empty), then corrected: B's edit is not
    undone without the message (the refused page used to carry the version as it was then)."""
    token = EditToken.issue(pending)
    old, new = Tab(client, pending, token), Tab(client, pending, token)
    assert "enregistrées" in new.send(phone="02 41 99 99 99")
    refused = old.send(name="")
    assert CHANGED_ELSEWHERE not in refused and "obligatoire" in refused
    old.open(refused)
    page = old.send(name="Ferme du Lac")
    assert CHANGED_ELSEWHERE in page
    pending.refresh_from_db()
    assert str(pending.phone) == "02 41 99 99 99"


def test_another_tabs_edit_after_a_volunteer_asked_for_changes_is_not_undone(client, pending):
    """Tab A open; a volunteer asks for changes; the producer follows the email's link (tab B) and adds the phone;
    then sends the old tab A: the request for changes is no licence to undo tab B."""
    volunteer = UserFactory(username="bob", is_staff=True)
    token = EditToken.issue(pending)
    old = Tab(client, pending, token)
    decide("listing", pending.pk, Decision.Action.REQUEST_CHANGES, volunteer, "Ajoutez votre téléphone.")
    new = Tab(client, pending, token)
    assert "enregistrées" in new.send(phone="02 41 99 99 99")
    assert CHANGED_ELSEWHERE in old.send(description="Maraîchage.")
    pending.refresh_from_db()
    assert str(pending.phone) == "02 41 99 99 99"


def test_a_market_organisers_list_of_stands_is_no_other_tab_for_the_producer(client, published, angers):
    market = ListingFactory(
        name="Marché",
        kind=Listing.Kind.MARKET,
        market_type=Listing.MarketType.WEEKLY,
        commune=angers,
        opening_hours="Sa 08:00-13:00",
        email="m@example.org",
    )
    tab = new_tab(client, published)
    # The organiser's list of stands, approved by a volunteer: it links this producer (and adds their "on the
    # markets" delivery mode) without any edit of theirs.
    attendances.apply_links(market, [[published.pk, ""]], "stands")
    assert published.deliveries.exists()
    page = tab.send(description="Maraîchage.")
    assert CHANGED_ELSEWHERE not in page
    assert Revision.objects.pending().get().data["description"] == "Maraîchage."


@pytest.fixture
def market(angers):
    return ListingFactory(
        name="Marché du Lac",
        kind=Listing.Kind.MARKET,
        market_type=Listing.MarketType.WEEKLY,
        commune=angers,
        opening_hours="Sa 08:00-13:00",
        email="m@example.org",
    )


def test_a_pending_listing_the_markets_another_tab_named_are_not_undone(client, pending, market, angers):
    """The markets are links, not values of the listing: the version did not see them change, so the old tab's
    empty rows removed the market the other tab had just named."""
    token = EditToken.issue(pending)
    old, new = Tab(client, pending, token), Tab(client, pending, token)
    assert "enregistrées" in new.send(markets_1=f"Marché du Lac ({angers.name})")
    assert attendances.serialize_markets(pending) == [[market.pk, ""]]

    assert CHANGED_ELSEWHERE in old.send(description="Maraîchage.")
    assert attendances.serialize_markets(pending) == [[market.pk, ""]]


def test_a_pending_markets_stands_another_tab_listed_are_not_undone(client, market, published, angers, category):
    market.status = Listing.Status.PENDING
    market.save()
    market.categories.set([category])
    token = EditToken.issue(market)
    old, new = Tab(client, market, token), Tab(client, market, token)
    page = new.send(stands_1=f"Ferme du Lac ({angers.name})")
    assert "enregistrées" in page, re.findall(r"field-error[^>]*>(.*?)</div>", page, re.S)
    assert attendances.serialize_stands(market) == [[published.pk, ""]]

    assert CHANGED_ELSEWHERE in old.send(description="Tous les samedis.")
    assert attendances.serialize_stands(market) == [[published.pk, ""]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", [Listing.Status.PENDING, Listing.Status.PUBLISHED])
def test_two_tabs_sent_at_the_same_moment_one_is_saved_the_other_told(angers, category, status):
    """Five rounds of two tabs opened on the same page, sent at once (threads on PostgreSQL): the second to get the
    listing's row lock reads the first one's count and is told, never saved over it."""
    for round_ in range(5):
        cache.clear()  # the forms' rate limit: five saved an hour from one address
        listing = ListingFactory(status=status, name=f"Ferme {round_}", email="lac@example.org", categories=[category])
        token = EditToken.issue(listing)
        first, second = Tab(Client(), listing, token), Tab(Client(), listing, token)
        pages = at_once(partial(first.send, description="Maraîchage."), partial(second.send, phone="02 41 99 99 99"))
        assert all(isinstance(page, str) for page in pages), pages
        told = [CHANGED_ELSEWHERE in page for page in pages]
        assert sorted(told) == [False, True], told
        saved = told.index(False)
        listing.refresh_from_db()
        if status == Listing.Status.PENDING:
            kept = listing.description, str(listing.phone)
        else:
            data = Revision.objects.pending().get(listing=listing).data
            kept = data["description"], str(PhoneNumber.from_string(data["phone"])) if data["phone"] else ""
        assert kept == [("Maraîchage.", ""), ("", "02 41 99 99 99")][saved]
