import pytest
from django.core.cache import cache

from producers.maps import grid
from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory


@pytest.fixture
def maine_et_loire(db):
    return DepartmentFactory()


@pytest.fixture
def towns(maine_et_loire):
    """Three real communes of Maine-et-Loire and one of Gironde, with their true reference points."""
    gironde = DepartmentFactory(code="33", name="Gironde", region=RegionFactory(code="75", name="Nouvelle-Aquitaine"))
    return {
        "angers": CommuneFactory(),
        "st_barthelemy": CommuneFactory(
            insee_code="49267",
            name="Saint-Barthélemy-d'Anjou",
            postal_codes="49124",
            population=9400,
            latitude=47.4675,
            longitude=-0.4956,
        ),
        "avrille": CommuneFactory(
            insee_code="49015",
            name="Avrillé",
            postal_codes="49240",
            population=13900,
            latitude=47.5069,
            longitude=-0.5889,
        ),
        "cholet": CommuneFactory(
            insee_code="49099",
            name="Cholet",
            postal_codes="49300",
            population=54000,
            latitude=47.0600,
            longitude=-0.8790,
        ),
        "bordeaux": CommuneFactory(
            insee_code="33063",
            name="Bordeaux",
            postal_codes="33000 33100 33200 33300 33800",
            population=260000,
            latitude=44.8378,
            longitude=-0.5792,
            department=gironde,
        ),
    }


@pytest.fixture
def grid_on(settings):
    """The maps' grid on (MAP_GRID_SECONDS), starting and ending with no grid counted, in the cache nor in the
    process."""
    cache.clear()
    grid._memo.clear()
    settings.MAP_GRID_SECONDS = 600
    yield settings
    cache.clear()
    grid._memo.clear()
