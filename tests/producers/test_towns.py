"""What shoppers type in the town box, on the real committed place files, on SQLite and PostgreSQL.

The module loads the places once (a few seconds), outside the tests' transactions, and removes them at the end, as
tests/producers/test_load_places.py does.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from producers import towns
from producers.filters import ListingFilter
from producers.models import Commune, Department, Listing, LocalCurrency, Locality, Region
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def places(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_places", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        LocalCurrency.objects.all().delete()
        Locality.objects.all().delete()
        Commune.objects.all().delete()
        Department.objects.all().delete()
        Region.objects.all().delete()
    towns.forget_index()


def place(text, **kwargs):
    resolution = towns.resolve(text, **kwargs)
    assert not resolution.choices, [p.label for p in resolution.choices]
    assert resolution.place is not None, text
    return resolution.place


# What is typed -> the label of the place it leads to.
EXAMPLES = [
    # Postal codes first: each of these is also the INSEE code of another commune.
    ("49100", "Angers (49)"),
    ("13001", "Marseille 1er Arrondissement (13)"),
    ("69003", "Lyon 3e Arrondissement (69)"),
    ("75011", "Paris 11e Arrondissement (75)"),
    # Arrondissements as people write them.
    ("Paris 11e", "Paris 11e Arrondissement (75)"),
    ("paris 11", "Paris 11e Arrondissement (75)"),
    ("Lyon 3e", "Lyon 3e Arrondissement (69)"),
    ("Lyon 3ème", "Lyon 3e Arrondissement (69)"),
    ("Marseille 1er", "Marseille 1er Arrondissement (13)"),
    # In Roman numerals, as street signs and many letters write them.
    ("Paris XVe", "Paris 15e Arrondissement (75)"),
    ("Paris XV", "Paris 15e Arrondissement (75)"),
    ("paris xvème arrondissement", "Paris 15e Arrondissement (75)"),
    ("Paris Ier", "Paris 1er Arrondissement (75)"),
    ("Lyon IIIe", "Lyon 3e Arrondissement (69)"),
    ("Lyon IXe", "Lyon 9e Arrondissement (69)"),
    ("Marseille XIVe", "Marseille 14e Arrondissement (13)"),
    ("Paris", "Paris (75)"),
    ("Marseille", "Marseille (13)"),
    # Typos.
    ("angrs", "Angers (49)"),
    ("nantse", "Nantes (44)"),
    ("Chalones-sur-Loire", "Chalonnes-sur-Loire (49)"),
    ("ponts-de-cé", "Les Ponts-de-Cé (49)"),
    ("marseile", "Marseille (13)"),
    # Former communes lead to their commune nouvelle.
    ("Andard", "Andard (Loire-Authion)"),
    ("andard (loire-authion)", "Andard (Loire-Authion)"),
    # The autocomplete's own labels.
    ("Angers (49)", "Angers (49)"),
    ("Saint-Martin (67)", "Saint-Martin (67)"),
    ("St-Barthélemy-d'Anjou", "Saint-Barthélemy-d'Anjou (49)"),
    ("Le Mans", "Le Mans (72)"),
    # A name with its postal code, as on an envelope: the code tells homonyms apart and forgives a typo.
    ("Angers 49000", "Angers (49)"),
    ("49100 Angers", "Angers (49)"),
    ("Angers, 49100", "Angers (49)"),
    ("Saint-Martin 67220", "Saint-Martin (67)"),
    ("Paris 75011", "Paris 11e Arrondissement (75)"),
    ("Angres 49000", "Angers (49)"),
    # A former commune has its commune's postal code.
    ("Cannet 32400", "Cannet (Riscle)"),
    # Joined by hyphens, as in a web address.
    ("saint-etienne-42000", "Saint-Étienne (42)"),
    ("42000-saint-etienne", "Saint-Étienne (42)"),
    ("paris-15e", "Paris 15e Arrondissement (75)"),
    # Postal codes as often written, with a space.
    ("49 100", "Angers (49)"),
    ("Paris 75 011", "Paris 11e Arrondissement (75)"),
    # Names without their article, as people often write them.
    ("ponts de ce", "Les Ponts-de-Cé (49)"),
    ("sables d'olonne", "Les Sables-d'Olonne (85)"),
    ("le mans", "Le Mans (72)"),
    ("mans", "Le Mans (72)"),
    ("isle adam", "L'Isle-Adam (95)"),
    ("l isle adam", "L'Isle-Adam (95)"),
    ("lisle adam", "L'Isle-Adam (95)"),  # found with and without its article, offered once
    ("ponts de ce 49130", "Les Ponts-de-Cé (49)"),
    ("la mans", "Le Mans (72)"),
    # Typos, generic words (Saint-…, -sur-Mer) misspelt too.
    ("Chollet", "Cholet (49)"),
    ("Nantts", "Nantes (44)"),
    ("Saint-Malot", "Saint-Malo (35)"),
    ("Sain-Malo", "Saint-Malo (35)"),
    ("Theoul-sur-Mer", "Théoule-sur-Mer (06)"),
    # Small words left out ("de", "sur", "les"…), or one too many, and Saint misspelt.
    ("Saint Jean Luz", "Saint-Jean-de-Luz (64)"),
    ("Boulogne mer", "Boulogne-sur-Mer (62)"),
    ("Chalon Saone", "Chalon-sur-Saône (71)"),
    ("Aix Bains", "Aix-les-Bains (73)"),
    ("Puy Velay", "Le Puy-en-Velay (43)"),
    ("Saint Maur Fosses", "Saint-Maur-des-Fossés (94)"),
    ("Saint Die Vosges", "Saint-Dié-des-Vosges (88)"),
    ("Tranche mer", "La Tranche-sur-Mer (85)"),
    ("Les Saintes-Maries-de-la-Mer", "Saintes-Maries-de-la-Mer (13)"),
    ("Le Saint Lo", "Saint-Lô (50)"),
    ("Sain Lo", "Saint-Lô (50)"),
    ("Sant Lo", "Saint-Lô (50)"),
]


@pytest.mark.parametrize(("typed", "label"), EXAMPLES)
def test_what_is_typed_leads_to_the_right_place(typed, label):
    assert place(typed).label == label


@pytest.mark.parametrize("typed", ["Paris XVe", "paris 15"])
def test_the_autocomplete_offers_the_arrondissement_first(typed):
    assert towns.suggest(typed)[0].label == "Paris 15e Arrondissement (75)"


@pytest.mark.parametrize("typed", ["Paris VX", "Paris IIII", "Lyon IIV"])
def test_what_is_no_roman_numeral_makes_up_no_arrondissement(typed):
    resolution = towns.resolve(typed)
    assert not any(p.is_arrondissement for p in [resolution.place, *resolution.choices] if p), typed


def test_a_postal_code_is_never_taken_for_the_insee_code_of_another_commune():
    # 49100 is Cizay-la-Madeleine's INSEE code, 13001 Aix-en-Provence's, 69003 Albigny-sur-Saône's.
    assert Commune.objects.get(insee_code="49100").name == "Cizay-la-Madeleine"
    assert place("49100").commune.insee_code == "49007"
    assert place("13001").commune.insee_code == "13055"
    assert place("69003").commune.insee_code == "69123"
    # The issue counted 2,949 postal codes that are also another commune's INSEE code: a sample of them.
    insee_codes = set(Commune.objects.values_list("insee_code", flat=True))
    postal_codes = sorted(
        {code for codes in Commune.objects.values_list("postal_codes", flat=True) for code in codes.split()}
    )
    clashing = [code for code in postal_codes if code in insee_codes]
    assert len(clashing) > 2900
    for code in clashing[::25]:
        resolution = towns.resolve(code)
        found = [resolution.place] if resolution.place else list(resolution.choices)
        assert found, code
        assert all(code in p.postal_code_list for p in found), code


def test_an_insee_code_that_is_no_postal_code_leads_to_its_commune():
    # Older search links carry the INSEE code: ?commune=49007&distance=10, ?commune=2A004.
    assert not towns.index().with_postal_code("49007")
    assert place("49100").commune.insee_code == "49007"  # by postal code, still first
    assert place("49007").label == "Angers (49)"
    assert place("2A004").label == "Ajaccio (2A)"
    assert place("2a004").label == "Ajaccio (2A)"
    assert place("2B033").label == "Bastia (2B)"
    # Neither a postal code nor an INSEE code.
    assert not Commune.objects.filter(insee_code__in=["49998", "2A999"]).exists()
    assert towns.resolve("49998") == towns.Resolution()
    assert towns.resolve("2A999") == towns.Resolution()


def test_an_arrondissement_leads_to_its_own_point_not_the_city_centre():
    paris, eleventh = place("Paris"), place("75011")
    assert eleventh.commune == paris.commune
    assert (eleventh.latitude, eleventh.longitude) != (paris.latitude, paris.longitude)
    assert eleventh.latitude == pytest.approx(48.859, abs=0.01)
    assert eleventh.longitude == pytest.approx(2.38, abs=0.01)
    lyon_3e = place("Lyon 3e")
    assert lyon_3e.commune.insee_code == "69123"
    assert lyon_3e.longitude == pytest.approx(4.85, abs=0.02)


def test_a_former_commune_leads_to_its_commune_nouvelle_around_its_own_point():
    andard = place("Andard")
    assert andard.commune.name == "Loire-Authion"
    assert andard.locality.kind == Locality.Kind.DELEGATED
    assert andard.latitude == pytest.approx(47.457, abs=0.01)
    assert (andard.latitude, andard.longitude) != (andard.commune.latitude, andard.commune.longitude)


def test_former_communes_and_arrondissements_are_all_loaded():
    assert Locality.objects.filter(kind=Locality.Kind.ARRONDISSEMENT).count() == 20 + 9 + 16
    assert Locality.objects.exclude(kind=Locality.Kind.ARRONDISSEMENT).count() > 2000
    assert Locality.objects.filter(commune__department__code="49").count() > 150


def test_homonyms_are_offered_as_a_choice_by_population():
    resolution = towns.resolve("Saint-Martin")
    assert resolution.place is None
    assert [p.label for p in resolution.choices][:4] == [
        "Saint-Martin (32)",
        "Saint-Martin (65)",
        "Saint-Martin (67)",
        "Saint-Martin (54)",
    ]
    populations = [p.population for p in resolution.choices[:4]]
    assert populations == sorted(populations, reverse=True)
    # Then the longer names, as the suggestions list them: a choice is asked anyway.
    assert resolution.choices[4].label == "Saint-Martin-d'Hères (38)"
    assert len(resolution.choices) == towns.MAX_CHOICES


def test_a_shared_postal_code_is_offered_as_a_choice():
    resolution = towns.resolve("49800")
    assert [p.commune.name for p in resolution.choices] == ["Loire-Authion", "Trélazé", "Sarrigné"]
    assert [p.label for p in towns.resolve("49000").choices] == ["Angers (49)", "Écouflant (49)"]


def test_the_start_of_a_village_s_name_that_misspells_a_city_offers_both():
    assert [p.label for p in towns.resolve("Mareille").choices] == ["Marseille (13)", "Mareilles (52)"]
    assert [p.label for p in towns.resolve("Lyn").choices] == ["Lyon (69)", "Lynde (59)"]
    assert place("Saint-Barthélemy-d'Anj").commune.insee_code == "49267"  # a name typed in part stays itself


def test_a_department_page_takes_its_own_homonym():
    gers = Department.objects.get(code="32")
    assert place("Saint-Martin", department=gers).commune.insee_code == "32389"


def test_the_hidden_code_tells_homonyms_apart_unless_the_name_was_changed():
    assert place("Saint-Martin", code="54480").department.code == "54"
    assert place("Saint-Martin (54)", code="54480").commune.insee_code == "54480"
    assert place("Andard (Loire-Authion)", code="49307").locality.name == "Andard"
    assert place("Angers", code="54480").commune.insee_code == "49007"


def test_nothing_is_made_up_for_gibberish():
    assert towns.resolve("xqzwv") == towns.Resolution()
    assert towns.resolve("99999") == towns.Resolution()


def test_an_arrondissement_alone_keeps_its_listings():
    paris = Commune.objects.get(insee_code="75056")
    ListingFactory(name="Épicerie du 11e", commune=paris, postal_code="75011", latitude=48.858, longitude=2.38)
    ListingFactory(name="Fromager du 15e", commune=paris, postal_code="75015", latitude=48.84, longitude=2.29)
    found = ListingFilter({"commune": "Paris 11e"}, queryset=Listing.objects.published()).qs
    assert [listing.name for listing in found] == ["Épicerie du 11e"]


def test_suggestions_show_former_communes_with_their_commune_and_rank_the_department_first():
    assert [p.label for p in towns.suggest("andard")] == ["Andard (Loire-Authion)"]
    anjou = Department.objects.get(code="49")
    # Maine-et-Loire's four Saint-Martin-… (communes and former communes), then the four exact Saint-Martin.
    suggestions = towns.suggest("saint-martin", department=anjou)
    assert [p.department.code for p in suggestions[:8]] == ["49"] * 4 + ["32", "65", "67", "54"]
    assert "Saint-Martin-de-la-Place (Gennes-Val-de-Loire)" in [p.label for p in suggestions[:4]]
    assert [p.label for p in towns.suggest("saint-martin")][:4] == [
        "Saint-Martin (32)",
        "Saint-Martin (65)",
        "Saint-Martin (67)",
        "Saint-Martin (54)",
    ]
    assert [p.label for p in towns.suggest("Angers (49)")] == ["Angers (49)"]


def test_names_are_looked_up_in_memory_once_the_index_is_built(django_assert_num_queries):
    towns.index()
    with django_assert_num_queries(1):  # fetching the commune found
        assert place("angrs").commune.insee_code == "49007"


def test_a_department_page_offers_its_own_longer_names_beside_homonyms_far_away():
    """No Saint-Martin in Maine-et-Loire: its Saint-Martin-… come first, then the exact homonyms (without JavaScript
    too, as the autocomplete ranks them); a name found in the department alone is still taken at once."""
    anjou = Department.objects.get(code="49")
    choices = towns.resolve("Saint-Martin", department=anjou).choices
    assert [p.department.code for p in choices] == ["49"] * 4 + ["32", "65", "67", "54"]
    assert "Saint-Martin-du-Fouilloux (49)" in [p.label for p in choices]
    assert place("Bordeaux", department=anjou).commune.insee_code == "33063"
    assert place("Cholet", department=Department.objects.get(code="44")).commune.insee_code == "49099"


def test_a_department_page_offers_its_town_that_a_village_elsewhere_s_name_misspells():
    anjou = Department.objects.get(code="49")
    assert [p.label for p in towns.resolve("Angres", department=anjou).choices] == ["Angers (49)", "Angres (62)"]
    assert place("Angres").label == "Angres (62)"  # the national search box takes the name as typed
    assert place("Rennes", department=anjou).label == "Rennes (35)"  # not Gennes (49), a village
    assert place("Nantes", department=anjou).label == "Nantes (44)"


class ShortInputOnly:
    """A pattern that refuses what a shopper never types: more than 100 characters (towns.MAX_TYPED), or a run of
    spaces, the input on which a pattern that backtracks takes minutes."""

    def __init__(self, pattern):
        self.pattern = pattern

    def __getattr__(self, name):
        method = getattr(self.pattern, name)

        def checked(string, *args, **kwargs):
            assert len(string) <= 100 and "  " not in string, string[:40]
            return method(string, *args, **kwargs)

        return checked


@pytest.mark.parametrize("typed", ["a" + " " * 4000 + "b", "a" + "\u00a0" * 500 + "b", "Angers " + "x" * 4000])
def test_the_patterns_read_what_is_typed_bounded_and_single_spaced(monkeypatch, typed):
    for name in ("NAME_AND_POSTAL_CODE", "LABEL", "POSTAL_CODE", "INSEE_CODE"):
        monkeypatch.setattr(towns, name, ShortInputOnly(getattr(towns, name)))
    assert towns.resolve(typed) == towns.Resolution()
    assert towns.suggest(typed) == []


def test_spaces_and_length_do_not_hide_the_town():
    assert place("Angers" + " " * 300 + "49000").label == "Angers (49)"
    assert place("  Angers\u00a0\t49 000 ").label == "Angers (49)"


def test_a_long_chain_of_postal_codes_is_read_without_recursion():
    # Each code was once stripped by a recursive call: 1,000 of them overflowed Python's stack (a 500).
    resolution = towns.resolve("49000 " * 1000 + "x")
    assert [p.label for p in resolution.choices] == ["Angers (49)", "Écouflant (49)"]  # the code's places


@pytest.mark.parametrize(
    ("typed", "labels"),
    [
        # Bény is 01370, 01290 is Bey's: the name may be right and the code wrong, or the reverse.
        ("Bény 01290", ["Bény (01)", "Bey (01)"]),
        ("Aranc 01390", ["Aranc (01)", "Rancé (01)"]),
        ("Attignat 01100", ["Attignat (01)", "Martignat (01)"]),
    ],
)
def test_a_commune_of_the_code_s_department_is_offered_beside_the_code_s_look_alike(typed, labels):
    assert [p.label for p in towns.resolve(typed).choices] == labels


def test_a_department_page_never_cuts_the_exact_homonyms_for_its_own_longer_names():
    everywhere = {p.label for p in towns.resolve("Sainte-Marie").choices if p.name == "Sainte-Marie"}
    assert "Sainte-Marie (65)" in everywhere
    for code in ("76", "50", "73"):
        department = Department.objects.get(code=code)
        choices = [p.label for p in towns.resolve("Sainte-Marie", department=department).choices]
        assert everywhere <= set(choices), code
        assert choices[0].endswith(f"({code})"), code  # its own Sainte-Marie-… still come first


@pytest.mark.parametrize("typed", ["49 1", "49 10"])
def test_the_autocomplete_reads_a_spaced_postal_code_being_typed(typed):
    suggestions = towns.suggest(typed)
    assert suggestions and all(
        any(code.startswith(typed.replace(" ", "")) for code in p.postal_code_list) for p in suggestions
    )
    assert "Angers (49)" in [p.label for p in suggestions]


def test_homonyms_without_their_article_are_offered_as_a_choice():
    assert [p.label for p in towns.resolve("rochelle").choices][:2] == ["La Rochelle (17)", "La Rochelle (70)"]
    # The name as typed comes first: Cannet, a former commune of the Gers, then Le Cannet (06), bigger, then the
    # longer names it begins.
    assert [p.label for p in towns.resolve("Cannet").choices] == [
        "Cannet (Riscle)",
        "Le Cannet (06)",
        "Le Cannet-des-Maures (83)",
    ]
    assert [p.label for p in towns.suggest("Cannet")][:2] == ["Cannet (Riscle)", "Le Cannet (06)"]
    assert place("Le Cannet").label == "Le Cannet (06)"
    # An article alone still starts the names it starts.
    assert [p.label for p in towns.resolve("le").choices][:2] == ["Le Havre (76)", "Le Mans (72)"]


@pytest.mark.parametrize("typed", ["Chollet-sur-Mer", "Cholet sur Mer", "Chollet-sur-Mer (49)"])
def test_a_name_alike_only_by_its_generic_words_is_not_taken(typed):
    # Théoule-sur-Mer (06) is as close by the ratio as a one-letter typo, but "Chollet" is not "Théoule".
    assert towns.resolve(typed) == towns.Resolution()
    assert towns.resolve(typed, department=Department.objects.get(code="49")) == towns.Resolution()
    assert towns.suggest(typed) == []


def test_a_name_begun_is_not_offered_towns_alike_only_by_their_article():
    labels = [p.label for p in towns.resolve("les sables").choices]
    assert labels[0] == "Les Sables-d'Olonne (85)"
    assert "Les Abymes (971)" not in labels  # "abymes" is not "sables"


def test_a_far_look_alike_leads_to_the_not_found_page_with_the_name_kept(client):
    response = client.get(reverse("producers:search"), {"commune": "Chollet-sur-Mer"})
    assert response.status_code == 404
    html = response.content.decode()
    assert 'value="Chollet-sur-Mer"' in html
    assert "Théoule" not in html
    anjou = Department.objects.get(code="49")
    html = client.get(anjou.get_absolute_url(), {"commune": "Chollet-sur-Mer", "distance": "10"}).content.decode()
    assert 'value="Chollet-sur-Mer"' in html
    assert 'id="commune-error"' in html
    assert "Théoule" not in html


def test_a_name_with_fewer_typos_is_offered_beside_the_ratio_s_best():
    # By the ratio "La Roche Yon" is closest to La Roche-Guyon (a typo in "guyon"); La Roche-Sur-Yon has none but
    # the "sur" left out, and is much likelier meant: both are offered, rather than La Roche-Guyon taken silently.
    labels = [p.label for p in towns.resolve("La Roche Yon").choices]
    assert "La Roche-Guyon (95)" in labels
    assert "La Roche-sur-Yon (85)" in labels


@pytest.mark.parametrize(
    "typed, code",
    [("Angers", None), ("49100", None), ("49007", None), ("Angers (49)", "49007"), ("Andard (Loire-Authion)", None)],
)
def test_a_town_searched_again_is_found_without_a_query(typed, code, django_assert_num_queries):
    towns.index()  # built once per process, whatever the cache holds
    first = place(typed, code=code)
    with django_assert_num_queries(0):
        again = place(typed, code=code)
    assert again == first and again.label == first.label and again.department.code == first.department.code
    assert (again.latitude, again.longitude) == (first.latitude, first.longitude)


def test_loading_the_places_again_shows_them_to_the_town_box(django_capture_on_commit_callbacks):
    angers = Commune.objects.get(insee_code="49007")
    Commune.objects.filter(pk=angers.pk).update(latitude=0, longitude=0)  # a bad edit, behind the models' back
    assert (place("Angers").latitude, place("49007").latitude) == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_places", stdout=StringIO())
    assert place("Angers").latitude == place("49007").latitude == angers.latitude != 0


@pytest.mark.parametrize(
    ("name", "postal_code", "label"),
    [
        ("Aix", "", "Aix (19)"),
        ("Charleville", "", "Charleville (51)"),
        ("Charleville", "08000", "Charleville-Mézières (08)"),
        ("Boisse", "", "Boisse (24)"),
        ("Cannet", "32400", "Cannet (Riscle)"),
        ("Cannet", "06110", "Le Cannet (06)"),
        ("Andard", "", "Andard (Loire-Authion)"),
        ("Paris XVe", "", "Paris 15e Arrondissement (75)"),
        ("Saint-Omer (62)", "", "Saint-Omer (62)"),
        ("Angers 49100", "", "Angers (49)"),
    ],
)
def test_a_name_written_in_full_is_the_one_place_bearing_it(name, postal_code, label):
    reading = towns.read_commune(name, postal_code)
    assert reading.place is not None, [p.label for p in reading.choices]
    assert reading.place.label == label


def test_homonyms_are_asked_about_and_names_that_begin_theirs_are_not_homonyms():
    reading = towns.read_commune("Cannet")
    assert reading.exact and reading.place is None
    assert [p.label for p in reading.choices] == ["Cannet (Riscle)", "Le Cannet (06)"]


def test_a_misspelt_name_has_look_alikes_not_homonyms():
    reading = towns.read_commune("Sanit-Omer")
    assert not reading.exact and reading.place is None
    assert {"62765", "14635"} <= {p.code for p in reading.choices}
