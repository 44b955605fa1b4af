"""The names the market rows suggest: published markets (or producers, for an organiser's stands) with their town."""

import pytest

from producers.models import Listing
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db

URL = "/recherche/activites/"


@pytest.fixture
def listings(towns):
    return {
        "market": ListingFactory(name="Marché Lafayette", kind=Listing.Kind.MARKET, commune=towns["angers"]),
        "pending": ListingFactory(
            name="Marché des Halles", kind=Listing.Kind.MARKET, status=Listing.Status.PENDING, commune=towns["angers"]
        ),
        "farm": ListingFactory(name="Ferme du Marché", commune=towns["cholet"]),
    }


def labels(client, **params):
    return [result["label"] for result in client.get(URL, params).json()["results"]]


def test_markets_only_published_with_their_town(client, listings):
    assert labels(client, q="marché", kind="market") == ["Marché Lafayette (Angers)"]


def test_other_listings_for_an_organisers_stands(client, listings):
    assert labels(client, q="marché") == ["Ferme du Marché (Cholet)"]


def test_one_letter_suggests_nothing(client, listings):
    assert labels(client, q="m", kind="market") == []
    assert labels(client, q="ma", kind="market") == ["Marché Lafayette (Angers)"]
