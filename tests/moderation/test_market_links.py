"""The "attends" link through moderation: a producer declares markets on the sign-up form or through the private
link, a market's organiser proposes its stands; nothing is public before a volunteer approves it."""

import html
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

import moderation.models
from moderation.models import AlreadyDecided, Decision, EditToken, Revision, decide_listing
from producers.models import Attendance, Listing
from tests.factories import CommuneFactory, ListingFactory, UserFactory, delivery_mode

from .test_edit_link import edit_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def chalonnes(db):
    return CommuneFactory(
        insee_code="49063", name="Chalonnes-sur-Loire", postal_codes="49290", latitude=47.35, longitude=-0.76
    )


@pytest.fixture
def market(chalonnes):
    return ListingFactory(
        name="Marché de Chalonnes",
        kind=Listing.Kind.MARKET,
        market_type=Listing.MarketType.WEEKLY,
        commune=chalonnes,
        opening_hours="Sa 08:00-13:00",
        email="mairie@example.org",
    )


@pytest.fixture
def producer(angers, category):
    return ListingFactory(name="Ferme du Lac", email="lac@example.org", categories=[category])


def stands(market):
    return [a.producer.name for a in Attendance.objects.stands_of(market)]


def markets_on_page(listing):
    return Client().get(listing.get_absolute_url()).content.decode()


class TestSignUp:
    def test_a_new_producer_names_its_market_and_nothing_shows_before_approval(
        self, client, submission, market, moderator
    ):
        data = {**submission, "markets_1": "Marché de Chalonnes (Chalonnes-sur-Loire)", "markets_1_when": "1,3"}
        response = client.post("/inscrire/", data)
        assert response.status_code == 302, response.context["form"].errors
        listing = Listing.objects.get(name=submission["name"])
        assert listing.status == Listing.Status.PENDING
        assert list(listing.attendances.values_list("market__name", "schedule")) == [("Marché de Chalonnes", "Sa[1,3]")]
        assert stands(market) == []
        assert "Ferme des Trois Chênes" not in markets_on_page(market)
        decide_listing(listing.pk, Decision.Action.APPROVE, moderator)
        assert stands(market) == ["Ferme des Trois Chênes"]
        page = markets_on_page(listing)
        assert "Sur les marchés" in page and "Marché de Chalonnes" in page
        assert "1re et 3e semaines du mois" in page

    def test_a_sign_up_under_review_is_not_shown_to_the_market_organiser_nor_lost_by_their_edit(
        self, client, submission, market, category, moderator
    ):
        data = {**submission, "markets_1": "Marché de Chalonnes (Chalonnes-sur-Loire)"}
        assert client.post("/inscrire/", data).status_code == 302
        pending = Listing.objects.get(name=submission["name"])
        market.categories.add(category)
        token = EditToken.issue(market)
        page = Client().get(edit_url(token)).content.decode()
        assert submission["name"] not in page  # nobody has validated it yet
        # The organiser edits the description and sends the form as shown: accepted, and once approved the
        # pending producer's link is still there, to go public with its sign-up.
        response = Client().post(edit_url(token), form_data(market, description="Le samedi matin, place de l'église."))
        assert response.status_code == 200
        revision = Revision.objects.get(listing=market)  # sent for review, not refused
        assert "stands" not in revision.data
        decide_listing(pending.pk, Decision.Action.APPROVE, moderator)
        assert stands(market) == [submission["name"]]

    def test_the_review_page_shows_the_markets(self, moderator_client, submission, market):
        Client().post("/inscrire/", {**submission, "markets_1": "marché de chalonnes"})
        listing = Listing.objects.get(name=submission["name"])
        page = moderator_client.get(reverse("admin:moderation_review", args=["listing", listing.pk])).content.decode()
        assert "Marchés où il vend" in page
        assert "Marché de Chalonnes (Chalonnes-sur-Loire) : chaque jour de marché" in page

    def test_an_unknown_market_is_explained_next_to_its_row_and_the_rest_is_kept(self, client, submission, market):
        response = client.post("/inscrire/", {**submission, "markets_1": "Marché de Trifouillis"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Aucun marché nommé « Marché de Trifouillis » n’est encore dans l’annuaire" in page
        assert 'href="#id_markets_1"' in page  # the error summary leads to the row
        assert 'value="Ferme des Trois Chênes"' in page
        assert not Listing.objects.filter(name=submission["name"]).exists()

    def test_two_markets_of_the_same_name_need_the_town(self, client, submission, market):
        ListingFactory(name="Marché de Chalonnes", kind=Listing.Kind.MARKET, opening_hours="Su 08:00-12:00")
        response = client.post("/inscrire/", {**submission, "markets_1": "Marché de Chalonnes"})
        assert "ajoutez la commune entre parenthèses" in response.content.decode()
        response = client.post("/inscrire/", {**submission, "markets_1": "Marché de Chalonnes (Chalonnes-sur-Loire)"})
        assert response.status_code == 302

    def test_a_pending_market_cannot_be_named(self, client, submission, market):
        Listing.objects.filter(pk=market.pk).update(status=Listing.Status.PENDING)
        response = client.post("/inscrire/", {**submission, "markets_1": "Marché de Chalonnes"})
        assert response.status_code == 200
        assert "Aucun marché nommé" in response.content.decode()

    def test_some_weeks_of_a_fair_cannot_be_chosen(self, client, submission, market):
        market.opening_hours = "2026 Dec 12-14 10:00-19:00"
        market.save()
        response = client.post(
            "/inscrire/", {**submission, "markets_1": "Marché de Chalonnes", "markets_1_when": "2,4"}
        )
        assert "Ce marché n’a pas de jour dans la semaine" in response.content.decode()

    @pytest.mark.parametrize(
        "when, other, schedule",
        [("", "", ""), ("season", "", "Apr-Oct"), ("-1", "", "Sa[-1]"), ("other", "Jul-Aug Sa", "Jul-Aug Sa")],
    )
    def test_each_answer_is_stored_as_days(self, client, submission, market, when, other, schedule):
        data = {**submission, "markets_1": "Marché de Chalonnes", "markets_1_when": when, "markets_1_other": other}
        assert client.post("/inscrire/", data).status_code == 302
        assert Attendance.objects.get().schedule == schedule

    def test_other_days_must_be_in_the_syntax(self, client, submission, market):
        data = {**submission, "markets_1": "Marché de Chalonnes", "markets_1_when": "other", "markets_1_other": "bof"}
        response = client.post("/inscrire/", data)
        assert response.status_code == 200
        assert "syntaxe OpenStreetMap" in response.content.decode()

    def test_the_same_page_sent_twice_stores_one_link(self, client, submission, market):
        import re

        once = re.search(r'name="once" value="([^"]+)"', client.get("/inscrire/").content.decode())[1]
        data = {**submission, "markets_1": "Marché de Chalonnes", "once": once}
        client.post("/inscrire/", data)
        client.post("/inscrire/", data)
        assert Listing.objects.filter(name=submission["name"]).count() == 1
        assert Attendance.objects.count() == 1


class TestPrivateLink:
    def test_a_published_producers_markets_wait_for_a_volunteer(self, client, producer, market, moderator):
        token = EditToken.issue(producer)
        data = form_data(producer, markets_1="Marché de Chalonnes", markets_1_when="1,3")
        response = client.post(edit_url(token), data)
        assert response.status_code == 200, response.context["form"].errors
        revision = Revision.objects.get()
        assert revision.data["markets"] == [[market.pk, "Sa[1,3]"]]
        assert not Attendance.objects.exists()
        assert "Marché de Chalonnes" not in markets_on_page(producer)
        assert "markets" not in producer.deliveries.values_list("mode__code", flat=True)
        revision.approve(by=moderator)
        assert stands(market) == ["Ferme du Lac"]
        assert "markets" in producer.deliveries.values_list("mode__code", flat=True)
        page = markets_on_page(producer)
        assert "Marché de Chalonnes" in page and "samedi matin" in page and "Prochaine fois" in page

    def test_the_form_shows_the_markets_already_linked(self, client, producer, market):
        Attendance.objects.create(producer=producer, market=market, schedule="Sa[2,4]")
        page = client.get(edit_url(EditToken.issue(producer))).content.decode()
        assert 'value="Marché de Chalonnes (Chalonnes-sur-Loire)"' in page
        assert '<option value="2,4" selected>' in page

    def test_an_edit_that_leaves_the_markets_alone_does_not_carry_them(self, client, producer, market, moderator):
        Attendance.objects.create(producer=producer, market=market)
        token = EditToken.issue(producer)
        client.post(edit_url(token), form_data(producer, name="Ferme du Lac Bleu", markets_1="Marché de Chalonnes"))
        revision = Revision.objects.get()
        assert "markets" not in revision.data
        # Meanwhile the organiser's list, approved, drops the producer: approving the name change keeps that.
        Attendance.objects.all().delete()
        revision.approve(by=moderator)
        assert not Attendance.objects.exists()

    def test_removing_a_market_is_reviewed_too(self, client, producer, market, moderator):
        Attendance.objects.create(producer=producer, market=market)
        client.post(edit_url(EditToken.issue(producer)), form_data(producer, markets_1=""))
        revision = Revision.objects.get()
        assert revision.data["markets"] == []
        assert Attendance.objects.exists()
        revision.approve(by=moderator)
        assert not Attendance.objects.exists()

    def test_a_rejected_edit_changes_no_link(self, client, producer, market, moderator):
        client.post(edit_url(EditToken.issue(producer)), form_data(producer, markets_1="Marché de Chalonnes"))
        Revision.objects.get().decide(Decision.Action.REJECT, moderator, "Non")
        assert not Attendance.objects.exists()

    def test_the_organiser_proposes_the_stands(self, client, producer, market, moderator, category):
        market.categories.add(category)
        token = EditToken.issue(market)
        page = client.get(edit_url(token)).content.decode()
        assert "Les producteurs de votre marché" in page
        data = form_data(market, stands_1="Ferme du Lac (Angers)", stands_1_when="season")
        response = client.post(edit_url(token), data)
        assert response.status_code == 200, response.context["form"].errors
        assert Revision.objects.get().data["stands"] == [[producer.pk, "Apr-Oct"]]
        assert stands(market) == []
        Revision.objects.get().approve(by=moderator)
        assert list(Attendance.objects.values_list("producer__name", "schedule")) == [("Ferme du Lac", "Apr-Oct")]

    def test_an_organiser_cannot_name_another_market_as_a_stand(self, client, market, category):
        market.categories.add(category)
        ListingFactory(name="Marché d'Angers", kind=Listing.Kind.MARKET)
        response = client.post(edit_url(EditToken.issue(market)), form_data(market, stands_1="Marché d'Angers"))
        assert "Aucun producteur nommé" in response.content.decode()
        assert not Revision.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_volunteers_approving_the_same_edit_apply_it_once(client, producer, market, monkeypatch):
    client.post(edit_url(EditToken.issue(producer)), form_data(producer, markets_1="Marché de Chalonnes"))
    revision = Revision.objects.get()
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    locked, first_done = threading.Event(), threading.Event()
    results = {}
    concurrent = connection.vendor == "postgresql"

    def hold_lock(obj):
        if threading.current_thread().name == "alice":
            locked.set()
            if concurrent:
                threading.Event().wait(0.5)  # bob reaches select_for_update and waits on our lock

    monkeypatch.setattr(moderation.models.decisions, "_after_lock", hold_lock)

    def run(user):
        from django.db import connections

        try:
            Revision.objects.get(pk=revision.pk).approve(by=user)
            results[user.username] = "applied"
        except AlreadyDecided:
            results[user.username] = "already decided"
        finally:
            if user.username == "alice":
                first_done.set()
            connections.close_all()

    first = threading.Thread(target=run, name="alice", args=(alice,))
    first.start()
    assert locked.wait(10)
    if not concurrent:
        assert first_done.wait(10)
    second = threading.Thread(target=run, name="bob", args=(bob,))
    second.start()
    first.join(10)
    second.join(10)
    assert results == {"alice": "applied", "bob": "already decided"}
    assert Attendance.objects.count() == 1
    assert Decision.objects.filter(action=Decision.Action.APPROVE).count() == 1


def test_publishing_a_market_ticks_its_producers_mode(producer, market, moderator):
    Listing.objects.filter(pk=market.pk).update(status=Listing.Status.PENDING)
    market.refresh_from_db()
    Attendance.objects.create(producer=producer, market=market)
    from producers import attendances

    attendances.sync_delivery_modes([producer.pk])
    assert "markets" not in producer.deliveries.values_list("mode__code", flat=True)
    decide_listing(market.pk, Decision.Action.APPROVE, moderator)
    assert "markets" in producer.deliveries.values_list("mode__code", flat=True)
    assert delivery_mode("markets").name == "Sur les marchés"


def test_the_review_page_shows_the_stands_live_beside_proposed(client, moderator_client, producer, market, category):
    market.categories.add(category)
    other = ListingFactory(name="Fournil du Port", commune=producer.commune)
    Attendance.objects.create(producer=other, market=market)
    client.post(edit_url(EditToken.issue(market)), form_data(market, stands_1="Ferme du Lac", stands_1_when="1,3"))
    revision = Revision.objects.get()
    page = moderator_client.get(reverse("admin:moderation_review", args=["revision", revision.pk])).content.decode()
    assert "Producteurs du marché" in page
    assert "Fournil du Port (Angers) : chaque jour de marché" in page  # live
    assert "<ins>Ferme du Lac (Angers) : 1re et 3e semaines du mois" in page  # proposed, changed


def _row_value(page, name):
    """What the page shows in a row: what a browser sends back."""
    row = re.search(rf'<input type="text" name="{name}"[^>]*>', page)[0]
    found = re.search(r'value="([^"]*)"', row)
    return html.unescape(found[1]) if found else ""


def test_the_form_shows_the_markets_of_the_edit_waiting_and_a_next_edit_sent_as_shown_is_saved(
    client, producer, market
):
    """The page ticked "Sur les marchés" from the waiting edit but filled the rows from the live listing (no market):
    the producer did not see the market they had named, and any later change was refused with "name at least one
    market"."""
    delivery_mode("markets")
    token = EditToken.issue(producer)
    data = form_data(producer, delivery_modes=["markets"], markets_1="Marché de Chalonnes (Chalonnes-sur-Loire)")
    assert "enregistrées" in client.post(edit_url(token), data).content.decode()

    page = client.get(edit_url(token)).content.decode()
    assert _row_value(page, "markets_1") == "Marché de Chalonnes (Chalonnes-sur-Loire)"
    # Sent again as shown, with a new description.
    data = form_data(
        producer, description="Chèvres.", delivery_modes=["markets"], markets_1=_row_value(page, "markets_1")
    )
    response = client.post(edit_url(token), data)
    assert "enregistrées" in response.content.decode(), response.context["form"].errors
    waiting = Revision.objects.pending().get()
    assert (waiting.data["description"], waiting.data["markets"]) == ("Chèvres.", [[market.pk, ""]])


def test_a_market_of_the_edit_waiting_is_removed_by_clearing_its_row(client, producer, market):
    """Shown in the rows, it goes as the producer clears it: not brought back from the edit it replaces."""
    token = EditToken.issue(producer)
    client.post(edit_url(token), form_data(producer, markets_1="Marché de Chalonnes (Chalonnes-sur-Loire)"))
    assert "enregistrées" in client.post(edit_url(token), form_data(producer, markets_1="")).content.decode()
    assert Revision.objects.pending().get().data.get("markets", []) == []
