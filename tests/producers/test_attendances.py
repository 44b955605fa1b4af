"""The "attends" link: who shows where, in how many queries, and the "on the markets" delivery mode."""

import datetime

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from producers import attendances
from producers.hours import PARIS
from producers.models import Attendance, Listing
from tests.factories import CategoryFactory, ListingFactory, delivery_mode

pytestmark = pytest.mark.django_db


def market(**kwargs):
    defaults = {
        "name": "Marché de Chalonnes",
        "kind": Listing.Kind.MARKET,
        "market_type": Listing.MarketType.WEEKLY,
        "opening_hours": "Sa 08:00-13:00",
    }
    return ListingFactory(**{**defaults, **kwargs})


def modes(listing):
    return sorted(listing.deliveries.values_list("mode__code", flat=True))


def test_only_published_producers_at_published_markets_are_public():
    chalonnes, hidden_market = market(), market(name="Marché en attente", status=Listing.Status.PENDING)
    shown = ListingFactory(name="Ferme publiée")
    pending = ListingFactory(name="Ferme en attente", status=Listing.Status.PENDING)
    for producer in (shown, pending):
        Attendance.objects.create(producer=producer, market=chalonnes)
    Attendance.objects.create(producer=shown, market=hidden_market)
    assert [a.producer.name for a in Attendance.objects.stands_of(chalonnes)] == ["Ferme publiée"]
    assert [a.market.name for a in Attendance.objects.markets_of(shown)] == ["Marché de Chalonnes"]
    assert list(Attendance.objects.stands_of(hidden_market)) == []


def test_a_producer_attends_a_market_once():
    chalonnes, producer = market(), ListingFactory()
    Attendance.objects.create(producer=producer, market=chalonnes)
    with pytest.raises(IntegrityError):
        Attendance.objects.create(producer=producer, market=chalonnes, schedule="Sa[1]")


@pytest.mark.parametrize("size", [2, 12])
def test_a_markets_stands_with_categories_take_two_queries_whatever_their_number(size):
    chalonnes = market()
    for n in range(size):
        producer = ListingFactory(name=f"Ferme {n:02d}")
        producer.categories.set([CategoryFactory(), CategoryFactory()])
        Attendance.objects.create(producer=producer, market=chalonnes)
    with CaptureQueriesContext(connection) as queries:
        stands = list(Attendance.objects.stands_of(chalonnes))
        names = [(a.producer.name, a.producer.commune.name, len(a.producer.categories.all())) for a in stands]
    assert len(queries) == 2
    assert len(names) == size and all(count == 2 for _n, _c, count in names)


@pytest.mark.parametrize("size", [1, 8])
def test_a_producers_markets_take_one_query_whatever_their_number(size):
    producer = ListingFactory()
    for n in range(size):
        Attendance.objects.create(producer=producer, market=market(name=f"Marché {n}"))
    with CaptureQueriesContext(connection) as queries:
        names = [(a.market.name, a.market.commune.name) for a in Attendance.objects.markets_of(producer)]
    assert len(queries) == 1
    assert len(names) == size


def test_the_next_visit_is_the_producers_next_market_day():
    link = Attendance.objects.create(producer=ListingFactory(), market=market(), schedule="Sa[1,3]")
    monday = datetime.datetime(2026, 11, 30, 9, tzinfo=PARIS)
    opens, closes = link.next_visit(monday)
    assert (opens.date(), opens.hour, closes.hour) == (datetime.date(2026, 12, 5), 8, 13)
    assert link.next_visits(monday, count=2)[1][0].date() == datetime.date(2026, 12, 19)


def test_applying_a_producers_markets_replaces_its_links_and_ticks_the_mode():
    producer, a, b = ListingFactory(), market(name="A"), market(name="B")
    Attendance.objects.create(producer=producer, market=a)
    attendances.apply_links(producer, [[b.pk, "Sa[1,3]"]], "markets")
    assert attendances.serialize_markets(producer) == [[b.pk, "Sa[1,3]"]]
    assert "markets" in modes(producer)
    attendances.apply_links(producer, [], "markets")
    assert attendances.serialize_markets(producer) == []
    assert "markets" not in modes(producer)


def test_an_organisers_list_of_stands_updates_every_producer_it_names():
    chalonnes, kept, dropped, added = market(), ListingFactory(), ListingFactory(), ListingFactory()
    attendances.apply_links(chalonnes, [[kept.pk, ""], [dropped.pk, ""]], "stands")
    attendances.apply_links(chalonnes, [[kept.pk, "Apr-Oct"], [added.pk, ""]], "stands")
    assert attendances.serialize_stands(chalonnes) == sorted([[kept.pk, "Apr-Oct"], [added.pk, ""]])
    assert "markets" in modes(kept) and "markets" in modes(added)
    assert "markets" not in modes(dropped)


def test_links_to_what_is_not_a_market_are_ignored():
    producer, not_a_market = ListingFactory(), ListingFactory()
    attendances.apply_links(producer, [[not_a_market.pk, ""], [producer.pk, ""]], "markets")
    assert attendances.serialize_markets(producer) == []


def test_markets_written_as_free_text_keep_the_mode_without_links():
    producer = ListingFactory()
    producer.deliveries.create(mode=delivery_mode("markets"), details="marché du samedi à Angers")
    attendances.apply_links(producer, [], "markets")
    assert modes(producer) == ["markets"]


def test_a_producer_who_ticks_the_mode_without_naming_a_market_keeps_it():
    producer = ListingFactory()
    producer.deliveries.create(mode=delivery_mode("markets"))
    attendances.apply_links(producer, [], "markets")
    assert modes(producer) == ["markets"]


def test_withdrawing_the_only_market_takes_the_mode_away_and_publishing_it_again_gives_it_back():
    producer, chalonnes = ListingFactory(), market()
    attendances.apply_links(producer, [[chalonnes.pk, ""]], "markets")
    assert modes(producer) == ["markets"]
    chalonnes.status = Listing.Status.UNPUBLISHED
    chalonnes.save()
    assert modes(producer) == []
    chalonnes.status = Listing.Status.PUBLISHED
    chalonnes.save()
    assert modes(producer) == ["markets"]


@pytest.mark.parametrize(
    "market_hours, schedule, words",
    [
        ("Sa 08:00-13:00", "", "samedi matin"),
        ("Th 17:00-20:00", "", "jeudi soir"),
        ("We 14:00-18:00", "", "mercredi après-midi"),
        ("We,Sa 08:00-13:00", "Sa[1,3]", "samedi matin"),
        ("We,Sa 08:00-13:00", "", "mercredi et samedi matin"),
        ("Sa[1,3] 08:00-13:00", "", "samedi matin"),
        ("Su 09:00-18:00", "", "dimanche"),
        ("2026 Dec 12-14 10:00-19:00", "", "du 12 au 14 décembre 2026"),
        ("", "", ""),
    ],
)
def test_when_a_producer_is_at_a_market_in_words(market_hours, schedule, words):
    from django.utils import translation

    with translation.override("fr"):
        link = Attendance(market=Listing(opening_hours=market_hours), schedule=schedule)
        assert attendances.visit_words(link) == words


@pytest.mark.parametrize(
    "schedule, words",
    [
        ("", "chaque jour de marché"),
        ("Sa[1,3]", "1re et 3e semaines du mois"),
        ("We[2,4],Sa[2,4]", "2e et 4e semaines du mois"),
        ("Apr-Oct", "en saison seulement (d’avril à octobre)"),
        ("We", "mercredi"),
        ("Jul-Aug We", "mercredi, juillet à août"),
        ("Sa[2]", "samedi, 2e semaine du mois"),
        ("Sa 08:00-10:00", "samedi : 8 h – 10 h"),
    ],
)
def test_a_producers_days_in_words(schedule, words):
    from django.utils import translation

    with translation.override("fr"):
        assert attendances.describe_schedule(schedule) == words
