"""`manage.py load_places` and the commune search, on the real committed data files.

Loading 35,000 communes takes a few seconds, so the module loads them once, outside the tests' transactions, and
removes them at the end; each test then runs in its own transaction on top of that data.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from producers.models import Commune, Department, LocalCurrency, Region

pytestmark = pytest.mark.django_db


def load():
    out = StringIO()
    call_command("load_places", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def first_load(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        output = load()
    yield output
    with django_db_blocker.unblock():
        LocalCurrency.objects.all().delete()
        Commune.objects.all().delete()
        Department.objects.all().delete()
        Region.objects.all().delete()


def counts():
    return (
        Region.objects.count(),
        Department.objects.count(),
        Commune.objects.count(),
        LocalCurrency.objects.count(),
    )


def test_it_reports_what_it_created(first_load):
    assert "communes: 3487" in first_load
    assert "localities: 2546 created" in first_load
    assert "created" in first_load


def test_it_loads_every_region(first_load):
    assert Region.objects.count() == 18
    assert Region.objects.get(code="52").name == "Pays de la Loire"


def test_it_loads_every_department(first_load):
    codes = set(Department.objects.values_list("code", flat=True))

    assert len(codes) == 101
    assert {"01", "2A", "2B", "49", "95", "971", "972", "973", "974", "976"} <= codes
    assert "20" not in codes


def test_it_links_departments_to_their_region(first_load):
    maine_et_loire = Department.objects.get(code="49")

    assert maine_et_loire.name == "Maine-et-Loire"
    assert maine_et_loire.slug == "maine-et-loire"
    assert maine_et_loire.region.code == "52"
    assert Department.objects.get(code="976").name == "Mayotte"


def test_it_loads_every_commune(first_load):
    assert Commune.objects.count() >= 34870
    assert Commune.objects.filter(department__code="976").count() == 17
    assert Commune.objects.filter(department__code="2A").exists()


def test_every_commune_has_a_point_in_or_near_france(first_load):
    assert not Commune.objects.filter(latitude=0, longitude=0).exists()
    metropolitan = Commune.objects.exclude(department__code__startswith="97")
    assert not metropolitan.exclude(latitude__range=(41.3, 51.1), longitude__range=(-5.2, 9.6)).exists()


def test_angers_has_its_postal_codes_and_point(first_load):
    angers = Commune.objects.get(insee_code="49007")

    assert angers.name == "Angers"
    assert angers.slug == "angers"
    assert angers.search_name == "angers"
    assert angers.department.code == "49"
    assert angers.postal_code_list == ["49000", "49100"]
    assert angers.population > 100_000
    assert angers.latitude == pytest.approx(47.47, abs=0.02)
    assert angers.longitude == pytest.approx(-0.55, abs=0.02)


def test_paris_has_a_point_and_the_postal_codes_of_its_arrondissements(first_load):
    paris = Commune.objects.get(insee_code="75056")

    assert paris.latitude == pytest.approx(48.86, abs=0.03)
    assert paris.longitude == pytest.approx(2.35, abs=0.05)
    assert {"75001", "75020", "75116"} <= set(paris.postal_code_list)


def test_names_get_their_article_back(first_load):
    assert Commune.objects.get(insee_code="72181").name == "Le Mans"
    le_mans = Commune.objects.get(insee_code="72181")
    assert le_mans.slug == "le-mans"
    assert le_mans.search_name == "le mans"


def test_it_is_idempotent(first_load):
    before = counts()

    output = load()

    assert counts() == before
    assert "communes: 0 created, 0 updated" in output
    assert "localities: 0 created, 0 updated" in output
    assert "departments: 0 created, 0 updated" in output
    assert "local currencies: 0 created, 0 updated" in output


def test_it_restores_a_commune_changed_in_the_database(first_load):
    Commune.objects.filter(insee_code="49007").update(name="Angiers", slug="angiers", search_name="angiers")
    Department.objects.filter(code="49").update(name="Mayenne-et-Loire")
    before = counts()

    output = load()

    angers = Commune.objects.get(insee_code="49007")
    assert (angers.name, angers.slug, angers.search_name) == ("Angers", "angers", "angers")
    assert Department.objects.get(code="49").name == "Maine-et-Loire"
    assert "communes: 0 created, 1 updated" in output
    assert counts() == before


def test_it_recreates_a_missing_commune(first_load):
    Commune.objects.filter(insee_code="49267").delete()

    output = load()

    assert Commune.objects.filter(insee_code="49267").count() == 1
    assert "communes: 1 created, 0 updated" in output


def test_it_links_local_currencies_to_their_departments(first_load):
    la_muse = LocalCurrency.objects.get(slug="la-muse")

    assert la_muse.name == "La Muse"
    assert list(la_muse.departments.values_list("code", flat=True)) == ["49"]
    assert set(LocalCurrency.objects.get(slug="leman").departments.values_list("code", flat=True)) == {"01", "74"}
    assert LocalCurrency.objects.get(slug="eusko").departments.get().code == "64"


def test_it_restores_a_currency_changed_in_the_database(first_load):
    la_muse = LocalCurrency.objects.get(slug="la-muse")
    la_muse.departments.set([Department.objects.get(code="75")])
    LocalCurrency.objects.filter(slug="eusko").update(area="ailleurs")

    output = load()

    assert list(la_muse.departments.values_list("code", flat=True)) == ["49"]
    assert LocalCurrency.objects.get(slug="eusko").area == "Pays basque nord"
    assert "local currencies: 0 created, 2 updated" in output


def test_search_finds_a_commune_by_name_ignoring_case(first_load):
    assert "49007" in Commune.objects.search("angers").values_list("insee_code", flat=True)
    assert "49007" in Commune.objects.search("ANGERS").values_list("insee_code", flat=True)


@pytest.mark.parametrize("query", ["saint barthelemy d'anjou", "st-barthélemy", "Saint-Barthélemy-d'Anjou", "st barth"])
def test_search_ignores_accents_punctuation_and_abbreviations(first_load, query):
    assert "49267" in Commune.objects.search(query).values_list("insee_code", flat=True)


def test_search_finds_communes_by_postal_code(first_load):
    found = set(Commune.objects.search("49000").values_list("insee_code", flat=True))

    assert "49007" in found
    assert "49267" not in found  # 49124


def test_search_finds_a_secondary_postal_code(first_load):
    assert "75056" in Commune.objects.search("75116").values_list("insee_code", flat=True)
    assert "49007" in Commune.objects.search("49100").values_list("insee_code", flat=True)


def test_search_by_postal_code_prefix_does_not_match_inside_a_code(first_load):
    assert "49007" not in Commune.objects.search("9000").values_list("insee_code", flat=True)


@pytest.mark.parametrize("query", ["", "   ", "'-", None])
def test_search_finds_nothing_for_an_empty_query(first_load, query):
    assert not Commune.objects.search(query).exists()
