import datetime
import math
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import opening_hours
import phonenumbers
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from producers import hours
from producers.management.commands import _seed_demo_texts as texts
from producers.models import Attendance, Department, Listing, LocalCurrency, OpeningSlot
from producers.models.listing import slot_window
from tests.category_filter import assert_category_filter_agrees
from tests.factories import CommuneFactory, DepartmentFactory, LocalCurrencyFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    """Two communes in Maine-et-Loire, two in Gironde, one in Loire-Atlantique that must stay empty."""
    angers = CommuneFactory()
    avrille = CommuneFactory(
        insee_code="49015", name="Avrillé", department=angers.department, postal_codes="49240", population=14000
    )
    gironde = DepartmentFactory(code="33", name="Gironde", region=RegionFactory(code="75", name="Nouvelle-Aquitaine"))
    bordeaux = CommuneFactory(
        insee_code="33063",
        name="Bordeaux",
        department=gironde,
        postal_codes="33000 33100 33200 33300 33800",
        population=261800,
        latitude=44.8378,
        longitude=-0.5792,
    )
    saint_emilion = CommuneFactory(
        insee_code="33394",
        name="Saint-Émilion",
        department=gironde,
        postal_codes="33330",
        population=1900,
        latitude=44.8936,
        longitude=-0.1553,
    )
    nantes = CommuneFactory(
        insee_code="44109",
        name="Nantes",
        department=DepartmentFactory(code="44", name="Loire-Atlantique", region=angers.department.region),
        postal_codes="44000 44100 44200 44300",
        population=320700,
        latitude=47.2184,
        longitude=-1.5536,
    )
    return {
        "angers": angers,
        "avrille": avrille,
        "bordeaux": bordeaux,
        "saint_emilion": saint_emilion,
        "nantes": nantes,
    }


def seed(*args):
    call_command("seed_demo", *args, verbosity=0)


def km_between(listing, commune):
    dy = (listing.latitude - commune.latitude) * 111.32
    dx = (listing.longitude - commune.longitude) * 111.32 * math.cos(math.radians(commune.latitude))
    return math.hypot(dx, dy)


def test_it_creates_listings_in_real_communes_of_the_requested_departments(places):
    seed("--departments", "49", "33", "--count", "60", "--seed", "1")

    listings = Listing.objects.select_related("commune", "department")
    assert listings.count() == 60
    assert Counter(listing.department.code for listing in listings) == {"49": 30, "33": 30}
    for listing in listings:
        assert listing.department_id == listing.commune.department_id
        assert listing.postal_code == listing.commune.main_postal_code
        assert km_between(listing, listing.commune) <= 2.01
        assert listing.street_address
    assert not places["nantes"].listings.exists()


def test_bigger_communes_get_more_listings(places):
    seed("--departments", "33", "--count", "200", "--seed", "2")

    assert places["bordeaux"].listings.count() > 150
    assert places["saint_emilion"].listings.exists()


def test_all_france_spreads_over_every_department(places):
    seed("--all-france", "--count", "300", "--seed", "3")

    assert set(Listing.objects.values_list("department__code", flat=True)) == {"49", "33", "44"}
    assert places["nantes"].listings.count() > places["avrille"].listings.count()


def test_slugs_are_unique_across_runs(places):
    seed("--departments", "49", "--count", "150", "--seed", "4")
    seed("--departments", "49", "--count", "150", "--seed", "4")

    slugs = list(Listing.objects.values_list("slug", flat=True))
    assert len(slugs) == 300
    assert len(set(slugs)) == 300


def test_if_empty_does_nothing_the_second_time(places):
    seed("--departments", "49", "--count", "10", "--if-empty")
    seed("--departments", "49", "--count", "10", "--if-empty")

    assert Listing.objects.count() == 10


def test_same_seed_same_listings(places):
    seed("--departments", "49", "33", "--count", "30", "--seed", "5")
    first = list(Listing.objects.order_by("pk").values_list("name", "commune", "opening_hours", "latitude"))
    Listing.objects.all().delete()
    seed("--departments", "49", "33", "--count", "30", "--seed", "5")

    assert list(Listing.objects.order_by("pk").values_list("name", "commune", "opening_hours", "latitude")) == first


def test_it_refuses_departments_without_places(places):
    with pytest.raises(CommandError, match="07"):
        seed("--departments", "49", "07", "--count", "10")
    assert not Listing.objects.exists()


def test_search_document_is_what_save_stores(places):
    seed("--departments", "49", "--count", "40", "--seed", "6")

    for listing in Listing.objects.all():
        seeded = (listing.search_title, listing.search_body)
        listing.save()
        assert (listing.search_title, listing.search_body) == seeded
        assert listing.search_title and listing.search_body
    name = Listing.objects.first().name
    assert Listing.objects.search(name.upper()).exists()


def test_most_are_published_a_few_pending(places):
    seed("--departments", "49", "33", "--count", "400", "--seed", "7")

    pending = Listing.objects.filter(status=Listing.Status.PENDING)
    published = Listing.objects.published()
    assert 0 < pending.count() < 30
    assert not pending.exclude(published_at=None).exists()
    assert not published.filter(published_at=None).exists()
    assert not published.filter(published_at__gt=timezone.now()).exists()
    assert all(listing.created_at == listing.published_at for listing in published)


def test_categories_deliveries_and_contacts_are_plausible(places):
    seed("--departments", "49", "--count", "80", "--seed", "8")

    listings = list(Listing.objects.prefetch_related("categories", "deliveries__mode"))
    # Some of each, or the checks on phones and emails below would check nothing.
    assert len(listings) == 80
    assert 0 < sum(bool(listing.phone) for listing in listings) < 80
    assert 0 < sum(bool(listing.email) for listing in listings) < 80
    for listing in listings:
        assert 1 <= len(listing.categories.all()) <= 3
    assert len(assert_category_filter_agrees()) == 80  # the category filter finds each by its categories
    for listing in listings:
        assert listing.deliveries.all()
        if listing.phone:
            assert phonenumbers.is_valid_number(listing.phone), listing.phone
            assert str(listing.phone.as_national).startswith(("02 41", "06", "07")), listing.phone.as_national
        if listing.email:
            assert "@" in listing.email and " " not in listing.email


def test_local_currencies_circulate_in_the_listing_department(places):
    muse = LocalCurrencyFactory()
    muse.departments.add(places["angers"].department)
    gemme = LocalCurrencyFactory(name="La Gemme", slug="la-gemme")
    gemme.departments.add(places["bordeaux"].department)

    seed("--departments", "49", "33", "--count", "200", "--seed", "9")

    assert muse.listings.exists() and gemme.listings.exists()
    assert set(muse.listings.values_list("department__code", flat=True)) == {"49"}
    assert set(gemme.listings.values_list("department__code", flat=True)) == {"33"}
    assert not LocalCurrency.objects.exclude(pk__in=[muse.pk, gemme.pk]).filter(listings__isnull=False).exists()


def test_every_demo_opening_hours_expression_is_valid():
    for expressions in texts.HOURS.values():
        for expression in expressions:
            if expression:
                assert opening_hours.validate(expression), expression


def test_opening_slots_are_created_so_open_at_works(places):
    seed("--departments", "49", "--count", "60", "--seed", "10")

    first_day, days = slot_window()
    for listing in Listing.objects.all():
        expected = sorted(tuple(slot) for slot in hours.dated_slots(listing.opening_hours, first_day, days))
        actual = sorted(listing.opening_slots.values_list("weekday", "first_day", "last_day", "opens", "closes"))
        assert actual == expected, listing.opening_hours
    slot = OpeningSlot.objects.select_related("listing").first()
    assert slot is not None, "the demo listings have opening hours"
    moment = datetime.datetime.combine(
        slot.first_day, datetime.time(slot.opens // 60, slot.opens % 60), tzinfo=hours.PARIS
    )
    assert Listing.objects.open_at(moment).filter(pk=slot.listing_id).exists()
    assert not Listing.objects.open_at(moment.replace(hour=3)).filter(pk=slot.listing_id).exists()


def test_commune_names_with_an_article_contract(places):
    CommuneFactory(
        insee_code="49260",
        name="Les Rairies",
        department=places["angers"].department,
        postal_codes="49430",
        population=900000,  # so that most listings land there
        latitude=47.6511,
        longitude=-0.2347,
    )
    seed("--departments", "49", "--count", "40", "--seed", "11")

    texts_seen = " ".join(
        f"{name} {short} {description}"
        for name, short, description in Listing.objects.values_list("name", "short_description", "description")
    )
    assert "Rairies" in texts_seen
    assert " de Les " not in texts_seen and " à Les " not in texts_seen


def test_de_elides_before_a_vowel(places):
    CommuneFactory(
        insee_code="49126",
        name="Erdre-en-Anjou",
        department=places["angers"].department,
        postal_codes="49220",
        population=900000,  # so that most listings land there
        latitude=47.5961,
        longitude=-0.7917,
    )
    seed("--departments", "49", "--count", "80", "--seed", "12")

    texts_seen = " ".join(
        f"{name} {short} {description}"
        for name, short, description in Listing.objects.values_list("name", "short_description", "description")
    )
    assert "d'Erdre-en-Anjou" in texts_seen
    assert not re.search(r"\bde [AEIOUÉÈ]", texts_seen), re.search(r".{30}\bde [AEIOUÉÈ].{30}", texts_seen)[0]


def livestock_introductions():
    """Patterns of the first sentence of the profiles that raise animals (cattle, goats, hens)."""
    patterns = []
    for profile in texts.PROFILES:
        if profile.get("livestock"):
            for intro in profile["intro"]:
                pattern = re.sub(r"\\\{\w+\\\}", ".+", re.escape(intro)).replace("de\\ ", "d(?:e\\ |')")
                patterns.append(re.compile(pattern))
    return patterns


def test_no_livestock_farm_in_a_city(places):
    patterns = livestock_introductions()
    assert patterns, "the demo texts mark which profiles raise animals"
    seed("--departments", "33", "--count", "600", "--seed", "13")

    def raises_animals(listing):
        return any(pattern.match(listing.description) for pattern in patterns)

    in_bordeaux = list(places["bordeaux"].listings.all())
    assert len(in_bordeaux) > 400
    assert not [listing.name for listing in in_bordeaux if raises_animals(listing)]


def test_descriptions_are_varied(places):
    seed("--departments", "49", "--count", "200", "--seed", "14")
    descriptions = list(Listing.objects.values_list("description", flat=True))
    assert len(set(descriptions)) == len(descriptions)


def test_without_faker_it_says_what_to_install():
    """Faker is a development dependency: where it is missing the command says so instead of a traceback."""
    code = (
        "import sys; sys.modules['faker'] = None\n"  # what an installation without Faker imports
        "import django; django.setup()\n"
        "from django.core.management import call_command; call_command('seed_demo')\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env={**environment, "DJANGO_SETTINGS_MODULE": "localdir.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "CommandError: seed_demo makes demo data for development and needs Faker" in result.stderr
    assert "pip install -r requirements-dev.txt" in result.stderr


def test_the_stored_counts_are_those_of_the_seeded_listings(places):
    seed("--departments", "49", "33", "--count", "60", "--seed", "1")

    published = Listing.objects.published()
    for code in ["49", "33", "44"]:
        department = Department.objects.get(code=code)
        assert department.listing_count == published.filter(department=department).count()
    assert Department.objects.get(code="49").listing_count > 0
    bordeaux = places["bordeaux"]
    bordeaux.refresh_from_db()
    assert bordeaux.listing_count == published.filter(commune=bordeaux).count() > 0


def test_markets_have_a_type_and_producers_have_stands_there(places):
    seed("--departments", "49", "33", "--count", "400", "--seed", "5")
    markets = Listing.objects.filter(kind=Listing.Kind.MARKET)
    assert markets.exists()
    assert set(markets.values_list("market_type", flat=True)) <= {"weekly", "pickup", "fair"}
    assert not Listing.objects.exclude(kind=Listing.Kind.MARKET).exclude(market_type="").exists()
    for expression in markets.filter(market_type="fair").values_list("opening_hours", flat=True):
        assert hours.next_openings(expression), expression  # a fair still ahead
    links = Attendance.objects.public().select_related("producer", "market")
    assert links.exists()
    for link in links:
        assert link.producer.department_id == link.market.department_id
        assert link.producer.deliveries.filter(mode__code="markets").exists()
        assert hours.validate_opening_hours(link.schedule) is None
    # Some producers keep their own words about markets: what the volunteers' suggestions read.
    unlinked = Listing.objects.filter(deliveries__mode__code="markets", attendances__isnull=True)
    assert unlinked.filter(deliveries__details__gt="").exists()
