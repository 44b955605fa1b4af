import pytest

from producers.models import Listing
from tests.factories import ListingFactory
from tests.producers.test_exports import full_listing


@pytest.fixture
def listings(towns):
    """Published listings in Maine-et-Loire and Gironde (one a market), and some the public never sees."""
    return {
        "full": full_listing(email_public=False),
        "avrille": ListingFactory(name="Boutique d'Avrillé", kind=Listing.Kind.SHOP, commune=towns["avrille"]),
        "market": ListingFactory(name="Marché de Cholet", kind=Listing.Kind.MARKET, commune=towns["cholet"]),
        "bordeaux": ListingFactory(name="Cave de Bordeaux", commune=towns["bordeaux"]),
        "pending": ListingFactory(name="Ferme en attente", status=Listing.Status.PENDING),
        "unpublished": ListingFactory(name="Ferme retirée", status=Listing.Status.UNPUBLISHED),
    }


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content
    return response.json()
