"""A market's page lists its producers by category, from the approved "attends" links; only published producers,
and the same number of queries whatever the number of stands."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from producers import hours
from producers.models import Attendance, Category, Listing
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db

MONDAY_9H = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=hours.PARIS)


@pytest.fixture(autouse=True)
def monday(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: MONDAY_9H)
    cache.clear()


@pytest.fixture
def lafayette(towns):
    return ListingFactory(kind=Listing.Kind.MARKET, name="Marché Lafayette", opening_hours="Sa 08:00-13:00")


def stand(market, name, categories=(), schedule="", **fields):
    producer = ListingFactory(name=name, categories=list(categories), **fields)
    return Attendance.objects.create(producer=producer, market=market, schedule=schedule)


def words(response):
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_market_page_lists_its_producers_by_category(client, lafayette):
    honey, vegetables = Category.objects.get(slug="miel"), Category.objects.get(slug="fruits-legumes")
    stand(lafayette, "Ferme des Ruches", [honey])
    stand(lafayette, "Jardin du Lac", [vegetables, honey], schedule="Sa[1]")
    stand(lafayette, "Potager Bleu", [vegetables])
    stand(lafayette, "Atelier sans catégorie")
    stand(lafayette, "Ferme en attente", [honey], status=Listing.Status.PENDING)
    text = words(client.get(lafayette.get_absolute_url()))
    assert "Producteurs présents sur ce marché" in text
    section = text.split("Producteurs présents sur ce marché")[1]
    first, second = (vegetables, honey) if vegetables.position < honey.position else (honey, vegetables)
    assert section.index(first.name) < section.index(second.name) < section.index("Autres stands")
    # each producer once, under its first category
    assert section.count("Jardin du Lac") == 1
    assert section.index(vegetables.name) < section.index("Jardin du Lac")
    assert "Ferme des Ruches · Angers · chaque jour de marché" in section
    assert "Jardin du Lac · Angers · samedi, 1re semaine du mois · prochaine fois ici le samedi 5 décembre" in section
    assert "Ferme en attente" not in text


def test_a_market_without_stands_says_so(client, lafayette):
    text = words(client.get(lafayette.get_absolute_url()))
    assert "Aucun producteur n’a encore indiqué tenir un stand ici." in text


def test_queries_do_not_grow_with_the_number_of_stands(lafayette):
    honey = Category.objects.get(slug="miel")

    def visit():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(lafayette.get_absolute_url())
        return len(queries), response.content.decode().count("chaque jour de marché")

    for i in range(3):
        stand(lafayette, f"Ferme {i}", [honey])
    small, shown = visit()
    assert shown == 3
    for i in range(3, 30):
        stand(lafayette, f"Ferme {i}", [honey], schedule="Sa[1]" if i % 2 else "")
    large, shown = visit()
    assert shown == 16
    assert small == large
