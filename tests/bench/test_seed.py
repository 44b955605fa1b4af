"""The benchmark's seeder writes listings the way the app would: saving one again through the app changes nothing."""

import pytest
from django.db.models import Count, F

from bench.pages.seed import seed
from producers.models import Listing, OpeningSlot
from tests.category_filter import assert_category_filter_agrees
from tests.factories import CommuneFactory, DepartmentFactory, LocalCurrencyFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes():
    angers = CommuneFactory()
    nord = DepartmentFactory(code="59", name="Nord", region=RegionFactory(code="32", name="Hauts-de-France"))
    lille = CommuneFactory(
        insee_code="59350",
        name="Lille",
        department=nord,
        postal_codes="59000 59800",
        population=236000,
        latitude=50.6311,
        longitude=3.0468,
    )
    hamlet = CommuneFactory(
        insee_code="59001",
        name="Abancourt",
        department=nord,
        postal_codes="59268",
        population=20,
        latitude=50.2354,
        longitude=3.2124,
    )
    LocalCurrencyFactory().departments.add(angers.department)
    return {"angers": angers, "lille": lille, "hamlet": hamlet}


def snapshot(listing):
    row = Listing.objects.filter(pk=listing.pk).values().get()
    del row["updated_at"]  # auto_now: saving sets it
    slots = OpeningSlot.objects.filter(listing=listing).values_list(
        "weekday", "first_day", "last_day", "opens", "closes"
    )
    return row, sorted(slots), sorted(listing.categories.values_list("pk", flat=True))


def test_a_seeded_listing_is_what_the_app_saves_for_it(communes):
    assert seed(300, seed=3, pool=100) == 300
    listings = list(Listing.objects.order_by("pk"))
    assert len(listings) == 300
    # Pool listings (built by seed_demo) and moved copies of them alike.
    sample = listings[::23]
    with_slots = 0
    for listing in sample:
        before = snapshot(listing)
        assert before[0]["search_title"] and before[2]
        with_slots += bool(before[1])
        listing.save()
        assert snapshot(listing) == before, listing.slug
    assert with_slots >= len(sample) // 2
    # Written without the database's triggers: the ids PostgreSQL stores for the category filter are written too.
    assert len(assert_category_filter_agrees()) == 300

    # The sequences follow the ids written: the app can add listings afterwards.
    assert Listing.objects.create(name="Après", commune=communes["lille"]).pk == listings[-1].pk + 1


def test_listings_follow_population_with_a_few_pending(communes):
    seed(300, seed=3, pool=100)
    per_commune = dict(Listing.objects.values_list("commune__name").annotate(n=Count("pk")))
    assert per_commune["Lille"] > per_commune["Angers"] > per_commune.get("Abancourt", 0)
    assert not Listing.objects.exclude(department=F("commune__department")).exists()
    pending = Listing.objects.filter(status=Listing.Status.PENDING).count()
    assert 0 < pending < 30
    # Local currencies only where they circulate: Angers has one, Lille none.
    accepting = Listing.objects.filter(currencies__isnull=False)
    assert accepting.exists()
    assert set(accepting.values_list("department__code", flat=True)) == {"49"}


def test_seeding_again_adds_to_what_is_there(communes):
    seed(50, seed=1)
    seed(50, seed=1)
    assert Listing.objects.count() == 100
    assert Listing.objects.values("slug").distinct().count() == 100
