from datetime import timedelta

import pytest
from django.utils import timezone

from producers.models import Listing
from tests.factories import CategoryFactory, CommuneFactory, DepartmentFactory, ListingFactory, RegionFactory


@pytest.fixture
def places(db):
    """Chalonnes-sur-Loire, Angers (18 km away), Cholet (35 km) and Bordeaux, with their true reference points."""
    gironde = DepartmentFactory(code="33", name="Gironde", region=RegionFactory(code="75", name="Nouvelle-Aquitaine"))
    return {
        "chalonnes": CommuneFactory(
            insee_code="49069",
            name="Chalonnes-sur-Loire",
            postal_codes="49290",
            population=6500,
            latitude=47.3517,
            longitude=-0.7589,
        ),
        "angers": CommuneFactory(),
        "cholet": CommuneFactory(
            insee_code="49099", name="Cholet", postal_codes="49300", population=54000, latitude=47.06, longitude=-0.879
        ),
        "bordeaux": CommuneFactory(
            insee_code="33063",
            name="Bordeaux",
            postal_codes="33000",
            population=260000,
            latitude=44.8378,
            longitude=-0.5792,
            department=gironde,
        ),
    }


@pytest.fixture
def vegetables(db):
    return CategoryFactory(name="Légumes", name_en="Vegetables", slug="legumes")


def listing(name, commune, days_ago=1, **fields):
    """A published listing, published `days_ago` days ago."""
    when = timezone.now() - timedelta(days=days_ago)
    item = ListingFactory(name=name, commune=commune, **fields)
    Listing.objects.filter(pk=item.pk).update(published_at=when, changed_at=when)
    item.refresh_from_db()
    return item
