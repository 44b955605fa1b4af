"""Markets named in the producers' own words, offered to volunteers: one POST per suggestion, each in the log."""

import pytest
from django.db import connection
from django.urls import reverse

from moderation import market_suggestions
from moderation.models import AlreadyDecided, Decision, DismissedMarketSuggestion
from producers.models import Attendance, Listing
from tests.factories import CategoryFactory, CommuneFactory, ListingFactory, UserFactory, delivery_mode

from .concurrency import at_once

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:moderation_market_suggestions")


def decide_url(producer, market, action):
    return reverse("admin:moderation_market_suggestion_decide", args=[producer.pk, market.pk, action])


@pytest.fixture
def places(angers):
    chalonnes = CommuneFactory(
        insee_code="49063", name="Chalonnes-sur-Loire", postal_codes="49290", latitude=47.35, longitude=-0.76
    )
    return {"angers": angers, "chalonnes": chalonnes}


@pytest.fixture
def markets(places):
    return {
        "angers": ListingFactory(
            name="Marché Lafayette", kind=Listing.Kind.MARKET, commune=places["angers"], opening_hours="Sa 08:00-13:00"
        ),
        "chalonnes": ListingFactory(
            name="Marché de Chalonnes",
            kind=Listing.Kind.MARKET,
            commune=places["chalonnes"],
            opening_hours="Tu 08:00-12:30",
        ),
    }


@pytest.fixture
def producer(places):
    farm = ListingFactory(name="Ferme du Lac", commune=places["angers"], description="Légumes de saison.")
    farm.deliveries.create(mode=delivery_mode("markets"), details="le samedi matin au marché d'Angers")
    return farm


def pairs(found):
    return [(s.producer.name, s.market.name) for s in found]


def test_the_words_of_a_producer_name_the_market_of_that_town(producer, markets):
    assert pairs(market_suggestions.suggestions()) == [("Ferme du Lac", "Marché Lafayette")]


def test_a_market_named_in_the_description_is_suggested_too(places, markets):
    ListingFactory(
        name="Chèvrerie", commune=places["angers"], description="On nous trouve le mardi au marché de Chalonnes."
    )
    assert pairs(market_suggestions.suggestions()) == [("Chèvrerie", "Marché de Chalonnes")]


def test_nothing_is_suggested_for_unpublished_listings_or_links_that_exist(producer, markets):
    Attendance.objects.create(producer=producer, market=markets["angers"])
    assert market_suggestions.suggestions() == []
    Attendance.objects.all().delete()
    Listing.objects.filter(pk=producer.pk).update(status=Listing.Status.PENDING)
    assert market_suggestions.suggestions() == []


def test_a_volunteer_links_it_in_one_post_and_it_is_logged(client, moderator, producer, markets):
    client.force_login(moderator)
    page = client.get(PAGE).content.decode()
    assert "le samedi matin au marché d&#x27;Angers" in page and "Marché Lafayette" in page
    assert not Attendance.objects.exists()  # reading the page changes nothing
    response = client.post(decide_url(producer, markets["angers"], "link"), {"mention": "au marché d'Angers"})
    assert response.status_code == 302
    link = Attendance.objects.get()
    assert (link.producer, link.market, link.schedule) == (producer, markets["angers"], "")
    decision = Decision.objects.get()
    assert (decision.action, decision.moderator, decision.target) == ("link", moderator, link)
    assert market_suggestions.suggestions() == []
    assert "Marché Lafayette" in client.get(producer.get_absolute_url()).content.decode()


def test_the_same_post_twice_links_once(client, moderator, producer, markets):
    client.force_login(moderator)
    client.post(decide_url(producer, markets["angers"], "link"))
    response = client.post(decide_url(producer, markets["angers"], "link"), follow=True)
    assert "Un autre bénévole a déjà répondu à cette suggestion" in response.content.decode()
    assert Attendance.objects.count() == 1
    assert Decision.objects.count() == 1


def test_dismissing_it_hides_it_for_good_and_is_logged(client, moderator, producer, markets):
    client.force_login(moderator)
    client.post(decide_url(producer, markets["angers"], "dismiss"))
    assert DismissedMarketSuggestion.objects.filter(producer=producer, market=markets["angers"]).exists()
    assert Decision.objects.get().action == Decision.Action.DISMISS
    assert market_suggestions.suggestions() == []
    assert not Attendance.objects.exists()


def test_a_get_changes_nothing_and_other_people_are_refused(client, producer, markets):
    assert client.post(decide_url(producer, markets["angers"], "link")).status_code == 302  # to the login page
    client.force_login(UserFactory(is_staff=True))
    assert client.get(PAGE).status_code == 403
    assert client.post(decide_url(producer, markets["angers"], "link")).status_code == 403
    assert not Attendance.objects.exists()


def test_a_get_on_the_decision_address_is_refused(client, moderator, producer, markets):
    client.force_login(moderator)
    assert client.get(decide_url(producer, markets["angers"], "link")).status_code == 405
    assert not Attendance.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_volunteers_answering_at_once_link_once(places):
    market = ListingFactory(
        name="Marché Lafayette", kind=Listing.Kind.MARKET, commune=places["angers"], opening_hours="Sa 08:00-13:00"
    )
    producer = ListingFactory(name="Ferme du Lac", commune=places["angers"], description="Au marché d'Angers.")
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    results = at_once(
        lambda: market_suggestions.link(producer.pk, market.pk, alice),
        lambda: market_suggestions.dismiss(producer.pk, market.pk, bob),
    )
    assert sum(isinstance(result, AlreadyDecided) for result in results) == 1, (results, connection.vendor)
    assert Attendance.objects.count() + DismissedMarketSuggestion.objects.count() == 1
    assert Decision.objects.count() == 1


def test_volunteers_may_correct_and_import_stands(client, moderator, producer, markets):
    client.force_login(moderator)
    assert client.get(reverse("admin:producers_attendance_changelist")).status_code == 200
    assert client.get(reverse("admin:producers_attendance_import")).status_code == 200


def test_a_volunteer_adds_a_stand_from_the_markets_admin_page(moderator_client, producer, markets):
    from .test_decisions import listing_admin_data

    market = markets["angers"]
    market.categories.add(CategoryFactory())
    change_url = reverse("admin:producers_listing_change", args=[market.pk])
    assert "Producteurs du marché" in moderator_client.get(change_url).content.decode()
    data = listing_admin_data(
        market,
        **{"stands-TOTAL_FORMS": 1, "stands-0-producer": producer.pk, "stands-0-schedule": "Sa[1,3]"},
    )
    response = moderator_client.post(change_url, data)
    assert response.status_code == 302, response.context["errors"]
    assert list(Attendance.objects.values_list("producer", "market", "schedule")) == [
        (producer.pk, market.pk, "Sa[1,3]")
    ]
    assert "markets" in producer.deliveries.values_list("mode__code", flat=True)
