"""within() and closer_than() (producers.models.distance): one expression node each, which must keep the very rows
and distances of the arithmetic Django builds from F() and numbers, on SQLite and PostgreSQL."""

import math
import random

import pytest
from django.db.models import F, Q

from producers.models import Listing
from producers.models.distance import KM_PER_DEGREE, circle
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def as_django_builds_it(queryset, latitude, longitude, km):
    """within() as it was written before its expressions: F() arithmetic and a Q of three lookups."""
    dy = (F("latitude") - latitude) * KM_PER_DEGREE
    dx = (F("longitude") - longitude) * (KM_PER_DEGREE * math.cos(math.radians(latitude)))
    latitudes, longitudes, distance_sq = circle(latitude, longitude, km)
    return queryset.annotate(distance_sq=dx * dx + dy * dy).filter(
        Q(latitude__range=latitudes, longitude__range=longitudes, distance_sq__lte=distance_sq)
    )


def test_within_keeps_the_rows_and_distances_of_the_f_arithmetic(towns, django_capture_on_commit_callbacks):
    angers, rng = towns["angers"], random.Random(3)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(40):
            km, bearing = rng.uniform(0, 25), rng.uniform(0, 2 * math.pi)
            ListingFactory(
                commune=angers,
                latitude=angers.latitude + km * math.sin(bearing) / KM_PER_DEGREE,
                longitude=angers.longitude
                + km * math.cos(bearing) / (KM_PER_DEGREE * math.cos(math.radians(angers.latitude))),
            )
        # on the circle's edge, where a rounding would keep or drop it
        ListingFactory(commune=angers, latitude=angers.latitude + 10 / KM_PER_DEGREE, longitude=angers.longitude)
    published = Listing.objects.published()
    for point in ((angers.latitude, angers.longitude), (47.5, -0.6), (47, 0)):
        for km in (5, 10, 20, 12.5):
            ours = published.within(*point, km).order_by("distance_sq", "pk").values_list("pk", "distance_sq")
            theirs = as_django_builds_it(published, *point, km).order_by("distance_sq", "pk")
            expected = list(theirs.values_list("pk", "distance_sq"))
            assert list(ours) == expected, (point, km)
            assert ours.count() == len(expected)
    assert 0 < published.within(angers.latitude, angers.longitude, 10).count() < 41
