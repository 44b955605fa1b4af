"""Importing listings from CSV: the form's rules, the dry-run report, the round trip, the admin page, the command."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from producers import exports, imports, towns
from producers.forms.listing import ListingForm
from producers.listing_data import FIELDS, serialize_listing
from producers.models import Listing, Locality
from tests.category_filter import assert_category_filter_agrees
from tests.factories import (
    CategoryFactory,
    CommuneFactory,
    DepartmentFactory,
    ListingFactory,
    LocalCurrencyFactory,
    UserFactory,
    delivery_mode,
)
from tests.producers.test_exports import full_listing

pytestmark = pytest.mark.django_db

HEADER = ["external_id", "name", "kind", "categories", "commune", "insee_code", "postal_code", "phone", "opening_hours"]


def make_csv(rows, header=HEADER, delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def taxonomy(towns):
    return {"veg": CategoryFactory(slug="legumes", name="Légumes"), "muse": LocalCurrencyFactory()}


def valid_data(**changes):
    data = {
        "name": "Ferme du Chêne",
        "kind": "producer",
        "categories": ["legumes"],
        "commune": "Angers",
        "postal_code": "49100",
        "phone": "02 41 00 00 00",
        "opening_hours": "Mo-Fr 09:00-12:00",
        "delivery_modes": "on-site\nclick-and-collect: la veille",
        "currencies": ["la-muse"],
    }
    data.update(changes)
    return data


class TestListingForm:
    def test_a_complete_listing_is_valid_and_saves_its_relations(self, taxonomy):
        form = ListingForm(valid_data())
        assert form.is_valid(), form.errors
        listing = form.save()
        assert listing.commune.insee_code == "49007"
        assert listing.department.code == "49"
        assert listing.status == Listing.Status.PENDING
        assert [c.slug for c in listing.categories.all()] == ["legumes"]
        assert [(d.mode.code, d.details) for d in listing.deliveries.all()] == [
            ("on-site", ""),
            ("click-and-collect", "la veille"),
        ]
        assert listing.phone.as_e164 == "+33241000000"

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"commune": "Atlantide"}, "commune"),
            ({"commune": "", "insee_code": ""}, "commune"),
            ({"commune": "", "insee_code": "99999"}, "insee_code"),
            ({"commune": "Cholet", "insee_code": "49007"}, "commune"),
            ({"postal_code": "33000"}, "postal_code"),
            ({"phone": "+44 20 7946 0958"}, "phone"),
            ({"phone": "not a phone"}, "phone"),
            ({"opening_hours": "lundi 9h-12h"}, "opening_hours"),
            ({"categories": ["nope"]}, "categories"),
            ({"categories": []}, "categories"),
            ({"delivery_modes": "teleportation"}, "delivery_modes"),
            ({"currencies": ["nope"]}, "currencies"),
            ({"kind": "castle"}, "kind"),
            ({"latitude": "123"}, "latitude"),
            ({"other_links": "not a link"}, "other_links"),
            ({"name": ""}, "name"),
        ],
    )
    def test_it_rejects(self, taxonomy, changes, field):
        form = ListingForm(valid_data(**changes))
        assert not form.is_valid()
        assert list(form.errors) == [field], form.errors

    def test_the_commune_by_insee_code_alone(self, taxonomy):
        form = ListingForm(valid_data(commune="", insee_code="49015", postal_code=""))
        assert form.is_valid(), form.errors
        assert form.cleaned_data["commune"].name == "Avrillé"
        assert form.cleaned_data["postal_code"] == "49240"  # its only postal code

    def test_a_town_with_several_postal_codes_needs_one(self, taxonomy):
        form = ListingForm(valid_data(postal_code=""))
        assert list(form.errors) == ["postal_code"]

    def test_a_town_is_found_without_its_article(self, taxonomy):
        ponts = CommuneFactory(insee_code="49246", name="Les Ponts-de-Cé", postal_codes="49130", population=12679)
        for typed in ("ponts de ce", "Ponts-de-Cé", "les ponts de cé"):
            form = ListingForm(valid_data(commune=typed, postal_code=""))
            assert form.is_valid(), (typed, form.errors)
            assert form.cleaned_data["commune"] == ponts
            assert form.cleaned_data["postal_code"] == "49130"
        form = ListingForm(valid_data(commune="ponts de ce", insee_code="49246", postal_code="49130"))
        assert form.is_valid(), form.errors

    def test_a_town_named_as_typed_comes_before_one_whose_name_lacks_its_article(self, taxonomy):
        # Boisse (24) and La Boisse (01): "Boisse" is Boisse, unless the postal code is La Boisse's.
        boisse = CommuneFactory(insee_code="24045", name="Boisse", postal_codes="24560", population=246)
        la_boisse = CommuneFactory(insee_code="01049", name="La Boisse", postal_codes="01120", population=3229)
        for typed, postal_code, commune in [
            ("Boisse", "", boisse),
            ("Boisse", "01120", la_boisse),
            ("La Boisse", "", la_boisse),
        ]:
            form = ListingForm(valid_data(commune=typed, postal_code=postal_code))
            assert form.is_valid(), (typed, form.errors)
            assert form.cleaned_data["commune"] == commune, typed

    def test_a_postal_code_none_has_rules_out_a_town_found_only_by_adding_its_article(self, taxonomy):
        # Cannet is a former commune of the Gers (32400), not a commune: with that postal code, and no Cannet known
        # here, Le Cannet (06) is offered as a look-alike, not taken with a wrong postal code. Without one, Le Cannet is
        # the only town it can name.
        le_cannet = CommuneFactory(insee_code="06030", name="Le Cannet", postal_codes="06110", population=41000)
        form = ListingForm(valid_data(commune="Cannet", postal_code="32400"))
        assert not form.is_valid()
        [message] = form.errors["commune"]
        assert message.startswith("Aucune commune ne s’appelle exactement «\u202fCannet\u202f».")
        assert "Le Cannet, Maine-et-Loire (49), code INSEE 06030" in message
        assert "postal_code" not in form.errors
        form = ListingForm(valid_data(commune="Cannet", postal_code=""))
        assert form.is_valid(), form.errors
        assert form.cleaned_data["commune"] == le_cannet
        assert form.cleaned_data["postal_code"] == "06110"
        # A town named as typed keeps its postal code error: the name is right, the code is not.
        CommuneFactory(insee_code="49007", name="Angers", postal_codes="49000 49100", population=155000)
        form = ListingForm(valid_data(commune="Angers", postal_code="32400"))
        assert list(form.errors) == ["postal_code"]

    def test_several_towns_found_only_by_adding_their_article_ask_for_the_postal_code(self, taxonomy):
        CommuneFactory(insee_code="03304", name="Le Vernet", postal_codes="03200", population=1900)
        ariege = CommuneFactory(insee_code="09330", name="Le Vernet", postal_codes="09700", population=800)
        form = ListingForm(valid_data(commune="Vernet", postal_code=""))
        assert form.errors["commune"] == [
            "Plusieurs lieux s’appellent «\u202fVernet\u202f»\xa0: Le Vernet, Maine-et-Loire (49), code INSEE 03304; "
            "Le Vernet, Maine-et-Loire (49), code INSEE 09330. Indiquez le code postal ou le code INSEE."
        ]
        form = ListingForm(valid_data(commune="Vernet", postal_code="09700"))
        assert form.is_valid(), form.errors
        assert form.cleaned_data["commune"] == ariege
        form = ListingForm(valid_data(commune="Vernet", postal_code="32400"))
        assert form.errors["commune"][0].startswith("Aucune commune ne s’appelle exactement «\u202fVernet\u202f».")

    def test_overseas_numbers_are_french(self, taxonomy):
        form = ListingForm(valid_data(phone="+262 262 12 34 56"))
        assert form.is_valid(), form.errors

    def test_editing_shows_the_commune_and_delivery_modes(self, taxonomy):
        listing = ListingForm(valid_data()).save()
        form = ListingForm(instance=listing)
        assert form.initial["commune"] == "Angers"
        assert form.initial["insee_code"] == "49007"
        shown = form.fields["delivery_modes"].prepare_value(form.initial["delivery_modes"])
        assert shown == "on-site\nclick-and-collect: la veille"


class TestReport:
    def test_errors_are_reported_by_row_and_column_and_nothing_is_written(self, taxonomy):
        text = make_csv(
            [
                ["", "Ferme A", "producer", "legumes", "Angers", "", "49000", "0241000000", ""],
                ["", "Ferme B", "producer", "inconnue", "Angers", "", "49000", "0241000000", ""],
                ["", "Ferme C", "producer", "legumes", "Atlantide", "", "49000", "+442079460958", "n'importe quoi"],
            ]
        )
        report = imports.read(text)
        rows = {number: column for number, column, _message in report.errors}
        assert set(rows) == {3, 4}
        assert rows[3] == "categories"
        assert {column for number, column, _m in report.errors if number == 4} == {"commune", "phone", "opening_hours"}
        assert all(message for _n, _c, message in report.errors)
        assert [row.number for row in report.valid_rows] == [2]
        assert Listing.objects.count() == 0  # a dry run writes nothing

    def test_valid_rows_are_imported_as_pending_unless_published(self, taxonomy):
        text = make_csv([["a1", "Ferme A", "producer", "legumes", "Angers", "", "49000", "", ""]])
        assert imports.read(text).save() == 1
        assert Listing.objects.get().status == Listing.Status.PENDING
        imports.read(text.replace("a1", "b2").replace("Ferme A", "Ferme B")).save(publish=True)
        assert dict(Listing.objects.values_list("name", "status")) == {"Ferme A": "pending", "Ferme B": "published"}

    def test_a_missing_header_is_reported_on_row_1(self, taxonomy):
        report = imports.read("foo,bar\n1,2\n")
        assert {(number, column) for number, column, _m in report.errors} == {(1, "name"), (1, "commune")}
        assert report.save() == 0

    def test_windows_1252_with_semicolons(self, taxonomy):
        text = make_csv(
            [["", "Crèmerie à l'œuf", "shop", "legumes", "Saint-Barthélemy-d'Anjou", "", "49124", "", ""]],
            delimiter=";",
        )
        report = imports.read(text.encode("cp1252"))
        assert not report.errors, report.errors
        report.save()
        listing = Listing.objects.get()
        assert listing.name == "Crèmerie à l'œuf"
        assert listing.commune.insee_code == "49267"

    def test_utf8_with_bom(self, taxonomy):
        text = make_csv([["", "Fromagerie", "producer", "legumes", "Avrillé", "", "49240", "", ""]])
        report = imports.read(("\ufeff" + text).encode("utf-8"))
        assert not report.errors, report.errors

    def test_too_large_a_file_is_refused(self, taxonomy):
        report = imports.read(b"x" * (imports.MAX_BYTES + 1))
        assert report.errors and report.errors[0][0] == 1

    def test_reimporting_creates_no_duplicate(self, taxonomy):
        text = make_csv(
            [
                ["a1", "Ferme A", "producer", "legumes", "Angers", "", "49000", "", ""],
                ["", "Ferme B", "producer", "legumes", "Angers", "", "49000", "", ""],
            ]
        )
        imports.read(text).save()
        changed = text.replace("Ferme A", "Ferme A renommée").replace("Ferme B", "FERME b")
        report = imports.read(changed)
        assert [row.action for row in report.rows] == ["update", "update"]
        report.save()
        assert sorted(Listing.objects.values_list("name", flat=True)) == ["FERME b", "Ferme A renommée"]
        assert Listing.objects.get(external_id="a1").name == "Ferme A renommée"

    def test_reimporting_a_town_written_without_its_article_creates_no_duplicate(self, taxonomy):
        CommuneFactory(insee_code="49246", name="Les Ponts-de-Cé", postal_codes="49130", population=12679)
        text = make_csv([["", "Ferme A", "producer", "legumes", "Ponts-de-Cé", "", "49130", "", ""]])
        imports.read(text).save()
        report = imports.read(text)
        assert [row.action for row in report.rows] == ["update"]
        report.save()
        assert Listing.objects.get().commune.name == "Les Ponts-de-Cé"

    def test_the_same_listing_twice_in_a_file_is_an_error(self, taxonomy):
        row = ["", "Ferme A", "producer", "legumes", "Angers", "", "49000", "", ""]
        report = imports.read(make_csv([row, row]))
        [(number, column, message)] = report.errors
        assert (number, column) == (3, "name")
        assert "2" in message


class TestAmbiguousTown:
    """A town's name that fits several places is a row error naming them, never one of them guessed."""

    @pytest.fixture
    def cannets(self, taxonomy):
        var = DepartmentFactory(code="83", name="Var")
        gers = DepartmentFactory(code="32", name="Gers")
        riscle = CommuneFactory(insee_code="32344", name="Riscle", postal_codes="32400", department=gers)
        Locality.objects.create(
            insee_code="32074", kind=Locality.Kind.DELEGATED, name="Cannet", commune=riscle, latitude=43.6,
            longitude=-0.05,
        )  # fmt: skip
        return {
            "le_cannet": CommuneFactory(
                insee_code="06030", name="Le Cannet", postal_codes="06110", population=41471,
                department=DepartmentFactory(code="06", name="Alpes-Maritimes"),
            ),
            "des_maures": CommuneFactory(
                insee_code="83031", name="Le Cannet-des-Maures", postal_codes="83340", population=4300, department=var
            ),
        }  # fmt: skip

    def test_a_name_fitting_several_towns_is_an_error_naming_them(self, cannets):
        text = make_csv(
            [
                ["", "Ferme A", "producer", "legumes", "Cannet", "", "", "", ""],
                ["", "Ferme B", "producer", "legumes", "Angers", "", "49000", "", ""],
            ]
        )
        report = imports.read(text)
        [(number, column, message)] = report.errors
        assert (number, column) == (2, "commune")
        assert message.startswith("Plusieurs lieux s’appellent «\u202fCannet\u202f»")
        assert "Le Cannet, Alpes-Maritimes (06), code INSEE 06030" in message
        assert "Cannet, aujourd’hui dans Riscle, Gers (32), code INSEE 32344" in message
        # Its name only begins with Cannet: no homonym.
        assert "Le Cannet-des-Maures" not in message
        assert "code postal" in message
        # The other rows import as before; the ambiguous one is written nowhere.
        assert report.save() == 1
        assert list(Listing.objects.values_list("name", "commune__name")) == [("Ferme B", "Angers")]

    def test_a_postal_code_or_an_insee_code_settles_it(self, cannets):
        text = make_csv(
            [
                ["", "Ferme A", "producer", "legumes", "Cannet", "", "06110", "", ""],
                ["", "Ferme B", "producer", "legumes", "Cannet", "06030", "", "", ""],
            ]
        )
        report = imports.read(text)
        assert report.errors == []
        assert report.save() == 2
        assert Listing.objects.get(name="Ferme A").commune == cannets["le_cannet"]
        assert Listing.objects.get(name="Ferme B").commune == cannets["le_cannet"]

    def test_a_name_of_one_town_alone_is_imported(self, cannets):
        row = ["", "Ferme A", "producer", "legumes", "Le Cannet-des-Maures", "", "", "", ""]
        report = imports.read(make_csv([row]))
        assert report.errors == []
        assert report.save() == 1
        listing = Listing.objects.get()
        assert (listing.commune, listing.postal_code) == (cannets["des_maures"], "83340")

    @pytest.mark.parametrize(("insee_code", "postal_code"), [("32344", ""), ("", "32400"), ("32344", "32400")])
    def test_what_the_error_advises_for_a_former_commune_imports(self, cannets, insee_code, postal_code):
        # The error gives Riscle's INSEE code for Cannet, now part of Riscle: with it, or with Riscle's postal code,
        # the row names Cannet, and the listing is in Riscle.
        row = ["", "Ferme A", "producer", "legumes", "Cannet", insee_code, postal_code, "", ""]
        report = imports.read(make_csv([row]))
        assert report.errors == []
        assert report.save() == 1
        listing = Listing.objects.get()
        assert (listing.commune.name, listing.postal_code) == ("Riscle", "32400")

    def test_an_insee_code_of_another_town_is_still_refused(self, cannets):
        row = ["", "Ferme A", "producer", "legumes", "Cannet", "83031", "", "", ""]
        assert imports.read(make_csv([row])).errors == [
            (
                2,
                "commune",
                "Le code INSEE 83031 est celui de la commune «\u202fLe Cannet-des-Maures\u202f», "
                "pas de «\u202fCannet\u202f».",
            )
        ]

    def test_the_command_reports_the_row_and_writes_nothing(self, cannets, tmp_path):
        path = tmp_path / "listings.csv"
        path.write_text(make_csv([["", "Ferme A", "producer", "legumes", "Cannet", "", "", "", ""]]), encoding="utf-8")
        out = io.StringIO()
        call_command("import_listings", str(path), "--commit", stdout=out)
        assert "row 2\tcommune\t" in out.getvalue()
        assert "Le Cannet, Alpes-Maritimes (06)" in out.getvalue()
        assert not Listing.objects.exists()


class TestTownQueries:
    """The towns of a file are found together: a query for each town cost a 5,000-row file as many."""

    @pytest.fixture
    def communes(self, taxonomy):
        return [
            CommuneFactory(insee_code=f"491{n:02}", name=f"Village {chr(65 + n)}", postal_codes=f"491{n:02}")
            for n in range(8)
        ]

    def town_queries(self, rows):
        towns.index()  # built once a process, not per file
        with CaptureQueriesContext(connection) as queries:
            report = imports.read(make_csv(rows))
        assert report.errors == []
        assert len(report.valid_rows) == len(rows)
        return [query["sql"] for query in queries if "producers_commune" in query["sql"]]

    def test_by_name_the_same_queries_for_two_towns_or_eight(self, communes):
        few = [a_row(name=f"Ferme {c.name}", commune=c.name, postal_code="") for c in communes[:2]]
        many = [a_row(name=f"Ferme {c.name}", commune=c.name, postal_code=c.postal_codes) for c in communes]
        assert len(self.town_queries(few)) == len(self.town_queries(many)) <= 2

    def test_by_insee_code_the_same_queries_for_two_towns_or_eight(self, communes):
        few = [a_row(name=f"Ferme {c.name}", commune="", insee_code=c.insee_code, postal_code="") for c in communes[:2]]
        many = [a_row(name=f"Ferme {c.name}", commune="", insee_code=c.insee_code, postal_code="") for c in communes]
        assert len(self.town_queries(few)) == len(self.town_queries(many)) == 1

    def test_a_town_deleted_after_a_search_read_it_is_a_row_error(self, communes):
        # A search or a registration keeps the place in the cache for a minute; a volunteer then deletes the commune.
        gone = communes[0]
        towns.forget_index()
        assert towns.read_commune(gone.name).commune == gone
        gone.delete()
        report = imports.read(make_csv([a_row(name="Ferme Z", commune=gone.name, postal_code=gone.postal_codes)]))
        assert report.errors and not report.valid_rows  # not a row to save that fails on its missing commune
        report.save()
        assert not Listing.objects.filter(name="Ferme Z").exists()

    def test_a_form_on_its_own_checks_that_the_town_still_exists(self, communes):
        gone = communes[0]
        towns.forget_index()
        assert towns.read_commune(gone.name).commune == gone
        gone.delete()
        form = ListingForm(valid_data(commune=gone.name, postal_code=gone.postal_codes))
        assert not form.is_valid()
        assert "commune" in form.errors


class TestExactTownName:
    """A town's name written in full is the one place bearing it, whatever longer names begin with it; a name no place
    bears is an error offering its look-alikes, never one of them taken."""

    @pytest.fixture
    def places(self, taxonomy):
        def commune(code, name, postal_codes, population, department):
            return CommuneFactory(
                insee_code=code, name=name, postal_codes=postal_codes, population=population,
                department=DepartmentFactory(code=department[0], name=department[1]),
            )  # fmt: skip

        paris = commune("75056", "Paris", "75001 75015", 2100000, ("75", "Paris"))
        Locality.objects.create(
            insee_code="75115", kind=Locality.Kind.ARRONDISSEMENT, name="Paris 15e Arrondissement", commune=paris,
            postal_codes="75015", population=230000, latitude=48.84, longitude=2.29,
        )  # fmt: skip
        return {
            "aix": commune("19002", "Aix", "19200", 300, ("19", "Corrèze")),
            "aix_en_provence": commune("13001", "Aix-en-Provence", "13090 13100", 145000, ("13", "Bouches-du-Rhône")),
            "charleville": commune("51129", "Charleville", "51120", 80, ("51", "Marne")),
            "mezieres": commune("08105", "Charleville-Mézières", "08000", 46000, ("08", "Ardennes")),
            "omer_62": commune("62765", "Saint-Omer", "62500", 14782, ("62", "Pas-de-Calais")),
            "omer_14": commune("14635", "Saint-Omer", "14220", 184, ("14", "Calvados")),
            "paris": paris,
        }

    def test_an_exact_name_of_one_commune_is_that_commune(self, places):
        rows = [
            a_row(name="Ferme A", commune="Aix", postal_code=""),
            a_row(name="Ferme B", commune="Charleville", postal_code=""),
            a_row(name="Ferme C", commune="Charleville", postal_code="08000"),
            a_row(name="Ferme D", commune="Paris 15e", postal_code=""),
            a_row(name="Ferme E", commune="Paris XVe", postal_code=""),
        ]
        report = imports.read(make_csv(rows))
        assert report.errors == []
        assert report.save() == 5
        assert list(Listing.objects.order_by("name").values_list("commune__name", "postal_code")) == [
            ("Aix", "19200"),
            ("Charleville", "51120"),
            ("Charleville-Mézières", "08000"),
            ("Paris", "75015"),
            ("Paris", "75015"),
        ]

    def test_an_insee_code_with_another_departments_label_is_refused(self, places):
        saint_denis = CommuneFactory(
            insee_code="97411", name="Saint-Denis", postal_codes="97400", population=150000,
            department=DepartmentFactory(code="974", name="La Réunion"),
        )  # fmt: skip
        rows = [
            a_row(name="Ferme A", commune="Saint-Denis (93)", insee_code="97411", postal_code=""),
            a_row(name="Ferme B", commune="Paris (13)", insee_code="75056", postal_code=""),
            a_row(name="Ferme C", commune="Saint-Denis (974)", insee_code="97411", postal_code=""),
            a_row(name="Ferme D", commune="Paris 15e (75)", insee_code="75056", postal_code=""),
        ]
        report = imports.read(make_csv(rows))
        assert report.errors == [
            (
                2,
                "commune",
                "Le code INSEE 97411 est celui de la commune «\u202fSaint-Denis\u202f», "
                "pas de «\u202fSaint-Denis (93)\u202f».",
            ),
            (
                3,
                "commune",
                "Le code INSEE 75056 est celui de la commune «\u202fParis\u202f», pas de «\u202fParis (13)\u202f».",
            ),
        ]
        assert report.save() == 2
        assert list(Listing.objects.order_by("name").values_list("commune", "postal_code")) == [
            (saint_denis.pk, "97400"),
            (places["paris"].pk, "75015"),
        ]

    def test_homonyms_are_still_an_error(self, places):
        [(_row, column, message)] = imports.read(make_csv([a_row(commune="Saint-Omer", postal_code="")])).errors
        assert column == "commune"
        assert message.startswith("Plusieurs lieux s’appellent «\u202fSaint-Omer\u202f»")

    def test_a_misspelt_name_is_not_found_exactly_and_its_look_alikes_are_named(self, places):
        [(_row, column, message)] = imports.read(make_csv([a_row(commune="Sanit-Omer", postal_code="")])).errors
        assert column == "commune"
        assert message.startswith("Aucune commune ne s’appelle exactement «\u202fSanit-Omer\u202f». Vouliez-vous dire")
        assert "Saint-Omer, Pas-de-Calais (62), code INSEE 62765" in message
        assert "Saint-Omer, Calvados (14), code INSEE 14635" in message
        assert "Plusieurs" not in message
        assert not imports.read(make_csv([a_row(commune="Sanit-Omer", postal_code="")])).save()


def a_row(**changes):
    """A valid row of HEADER, with some cells changed."""
    values = dict(zip(HEADER, ["", "Ferme A", "producer", "legumes", "Angers", "", "49000", "", ""], strict=True))
    values.update(changes)
    return [values[column] for column in HEADER]


class TestStatus:
    @pytest.mark.parametrize("status", [Listing.Status.REJECTED, Listing.Status.UNPUBLISHED])
    def test_a_refused_or_withdrawn_listing_is_an_error_and_stays_untouched(self, taxonomy, towns, status):
        by_id = ListingFactory(name="Ferme A", commune=towns["angers"], status=status, external_id="a1")
        by_name = ListingFactory(name="Ferme B", commune=towns["angers"], status=status)
        text = make_csv([a_row(external_id="a1", name="Ferme A renommée"), a_row(name="FERME b", phone="0241000000")])
        report = imports.read(text)
        assert [(number, column) for number, column, _m in report.errors] == [(2, "external_id"), (3, "name")]
        assert all("ne peut pas être importée à nouveau" in message for _n, _c, message in report.errors)
        assert report.save(publish=True) == 0
        for listing, name in [(by_id, "Ferme A"), (by_name, "Ferme B")]:
            listing.refresh_from_db()
            assert (listing.name, listing.status, str(listing.phone)) == (name, status, "")

    def test_publish_applies_to_new_rows_only(self, taxonomy, towns):
        pending = ListingFactory(name="Ferme A", commune=towns["angers"], status=Listing.Status.PENDING)
        ListingFactory(name="Ferme B", commune=towns["angers"], status=Listing.Status.PUBLISHED)
        text = make_csv([a_row(phone="0241000000"), a_row(name="Ferme B"), a_row(name="Ferme C")])
        report = imports.read(text)
        assert [row.action for row in report.rows] == ["update", "update", "create"]
        assert report.save(publish=True) == 3
        statuses = dict(Listing.objects.values_list("name", "status"))
        assert statuses == {"Ferme A": "pending", "Ferme B": "published", "Ferme C": "published"}
        pending.refresh_from_db()
        assert pending.phone.as_e164 == "+33241000000"  # updated all the same

    def test_a_refused_listing_does_not_hide_a_live_one_of_the_same_name(self, taxonomy, towns):
        ListingFactory(name="Ferme A", commune=towns["angers"], status=Listing.Status.REJECTED)
        live = ListingFactory(name="Ferme A", commune=towns["angers"], status=Listing.Status.PUBLISHED)
        report = imports.read(make_csv([a_row(phone="0241000000")]))
        assert not report.errors, report.errors
        assert report.rows[0].form.instance == live


class TestPartialImport:
    """A missing column leaves the listing's value as it is; an empty cell in a present column clears it."""

    def test_a_file_with_a_few_columns_changes_only_those(self, taxonomy, towns):
        listing = full_listing(commune=towns["angers"], postal_code="49100")
        before = serialize_listing(listing)
        header = ["name", "commune", "kind", "categories", "short_description"]
        report = imports.read(make_csv([[listing.name, "Angers", "shop", "legumes", "Nouveau résumé"]], header=header))
        assert not report.errors, report.errors
        assert report.rows[0].changes == ["kind", "short_description", "categories"]
        assert report.save() == 1
        after = serialize_listing(Listing.objects.get(pk=listing.pk))
        assert (after["kind"], after["short_description"]) == ("shop", "Nouveau résumé")
        assert after["categories"] == [taxonomy["veg"].pk]
        assert_category_filter_agrees()  # the category filter finds it by its new categories
        unchanged = set(FIELDS) - {"kind", "short_description", "categories"}
        assert {name: after[name] for name in unchanged} == {name: before[name] for name in unchanged}
        assert after["description"] and after["phone"] and after["delivery_modes"] and after["currencies"]

    def test_an_empty_cell_in_a_present_column_clears_it(self, taxonomy, towns):
        listing = full_listing(commune=towns["angers"], postal_code="49100")
        header = ["name", "commune", "website", "delivery_modes", "currencies", "opening_hours"]
        report = imports.read(make_csv([[listing.name, "Angers", "", "", "", ""]], header=header))
        assert report.rows[0].changes == ["website", "opening_hours", "delivery_modes", "currencies"]
        report.save()
        listing = Listing.objects.get(pk=listing.pk)
        assert (listing.website, listing.opening_hours) == ("", "")
        assert not listing.deliveries.exists() and not listing.currencies.exists()
        assert listing.facebook_url == "https://www.facebook.com/fromagerie"  # not in the file

    def test_without_a_kind_column_an_update_keeps_its_kind_and_a_new_row_needs_one(self, taxonomy, towns):
        ListingFactory(
            name="Boutique", kind=Listing.Kind.SHOP, commune=towns["angers"], postal_code="49000", categories=[]
        )
        header = ["name", "commune", "postal_code", "categories"]
        rows = [["Boutique", "Angers", "49100", "legumes"], ["Nouvelle ferme", "Angers", "49000", "legumes"]]
        report = imports.read(make_csv(rows, header=header))
        assert [row.action for row in report.rows] == ["update", "error"]
        assert [(number, column) for number, column, _message in report.errors] == [(3, "kind")]
        assert report.rows[0].changes == ["categories", "postal_code"]
        report.save()
        assert Listing.objects.get(name="Boutique").kind == Listing.Kind.SHOP
        assert not Listing.objects.filter(name="Nouvelle ferme").exists()

    def test_reimporting_the_export_changes_nothing(self, client, taxonomy, towns):
        listing = full_listing(commune=towns["angers"], postal_code="49100")
        # The export writes a "|" inside details as "/": the one change a round trip may make.
        listing.deliveries.filter(details__contains="|").update(details="Commande la veille")
        body = b"".join(client.get("/export/activites.csv").streaming_content)
        report = imports.read(body)
        assert [(row.action, row.changes) for row in report.rows] == [("update", [])]


class TestEmail:
    def test_reimporting_the_export_keeps_a_private_email(self, client, taxonomy):
        listing = full_listing(email="secret@example.org", email_public=False)
        body = b"".join(client.get("/export/activites.csv").streaming_content)
        report = imports.read(body)
        assert [row.action for row in report.rows] == ["update"], report.errors
        assert report.save() == 1
        listing.refresh_from_db()
        assert (listing.email, listing.email_public) == ("secret@example.org", False)

    def test_an_empty_cell_or_no_column_keeps_a_public_email(self, taxonomy, towns):
        listing = ListingFactory(name="Ferme A", commune=towns["angers"], email="a@example.org", email_public=True)
        imports.read(make_csv([a_row() + [""]], header=[*HEADER, "email"])).save()
        imports.read(make_csv([a_row()])).save()
        listing.refresh_from_db()
        assert (listing.email, listing.email_public) == ("a@example.org", True)

    def test_an_imported_address_is_kept_private_nowhere_shown(self, client, taxonomy):
        """A partner's file is no producer's consent: the address serves the volunteers and the private link."""
        report = imports.read(make_csv([a_row() + ["ferme-a@example.org"]], header=[*HEADER, "email"]))
        assert report.save(publish=True) == 1
        listing = Listing.objects.get()
        assert (listing.email, listing.email_public) == ("ferme-a@example.org", False)
        assert "ferme-a@example.org" not in client.get(listing.get_absolute_url()).content.decode()
        assert b"ferme-a@example.org" not in b"".join(client.get("/export/activites.csv").streaming_content)
        assert client.get(f"/api/v1/listings/{listing.slug}").json()["email"] == ""

    @pytest.mark.parametrize(
        "cell, shown", [("oui", True), ("Yes", True), ("1", True), ("non", False), ("no", False), ("", False)]
    )
    def test_an_email_public_column_says_which_addresses_are_shown(self, client, taxonomy, cell, shown):
        header = [*HEADER, "email", "email_public"]
        report = imports.read(make_csv([a_row() + ["ferme-a@example.org", cell]], header=header))
        assert report.errors == [] and report.ignored_columns == []
        report.save(publish=True)
        listing = Listing.objects.get()
        assert listing.email_public is shown
        assert ("ferme-a@example.org" in client.get(listing.get_absolute_url()).content.decode()) is shown

    def test_an_unclear_email_public_cell_is_an_error(self, taxonomy):
        header = [*HEADER, "email", "email_public"]
        report = imports.read(make_csv([a_row() + ["ferme-a@example.org", "peut-être"]], header=header))
        [(number, column, message)] = report.errors
        assert (number, column) == (2, "email_public")
        nbsp = "\u202f"
        assert message == (
            f"Écrivez «{nbsp}oui{nbsp}» pour afficher l’adresse e-mail sur la fiche, ou «{nbsp}non{nbsp}» pour "
            "la garder privée."
        )
        assert report.save() == 0 and not Listing.objects.exists()

    def test_another_address_in_the_file_replaces_the_stored_one_and_is_private(self, taxonomy, towns):
        listing = ListingFactory(name="Ferme A", commune=towns["angers"], email="a@example.org", email_public=True)
        imports.read(make_csv([a_row() + ["b@example.org"]], header=[*HEADER, "email"])).save()
        listing.refresh_from_db()
        assert (listing.email, listing.email_public) == ("b@example.org", False)

    def test_the_stored_address_again_keeps_its_choice_unless_the_file_says(self, taxonomy, towns):
        listing = ListingFactory(name="Ferme A", commune=towns["angers"], email="a@example.org", email_public=True)
        imports.read(make_csv([a_row() + ["A@example.org"]], header=[*HEADER, "email"])).save()
        listing.refresh_from_db()
        assert listing.email_public is True
        header = [*HEADER, "email", "email_public"]
        imports.read(make_csv([a_row() + ["a@example.org", "non"]], header=header)).save()
        listing.refresh_from_db()
        assert (listing.email, listing.email_public) == ("a@example.org", False)

    def test_a_blank_email_public_cell_keeps_the_producers_choice_to_show(self, taxonomy, towns):
        listing = ListingFactory(name="Ferme A", commune=towns["angers"], email="a@example.org", email_public=True)
        header = [*HEADER, "email", "email_public"]
        report = imports.read(make_csv([a_row() + ["a@example.org", ""]], header=header))
        [row] = report.rows
        assert row.action == "update" and "email_public" not in row.changes
        report.save()
        listing.refresh_from_db()
        assert listing.email_public is True

    def test_a_partners_oui_does_not_show_an_address_the_producer_hides(self, client, taxonomy, towns):
        """A partner's file is no producer's consent: only the producer (their private link) or a volunteer shows it."""
        listing = ListingFactory(name="Ferme A", commune=towns["angers"], email="a@example.org", email_public=False)
        header = [*HEADER, "email", "email_public"]
        imports.read(make_csv([a_row() + ["A@example.org", "oui"]], header=header)).save()
        listing.refresh_from_db()
        assert listing.email_public is False
        assert "a@example.org" not in client.get(listing.get_absolute_url()).content.decode()

    def test_a_partners_oui_does_not_show_another_address_on_a_listing_that_exists(self, taxonomy, towns):
        listing = ListingFactory(name="Ferme A", commune=towns["angers"], email="a@example.org", email_public=True)
        header = [*HEADER, "email", "email_public"]
        imports.read(make_csv([a_row() + ["b@example.org", "oui"]], header=header)).save()
        listing.refresh_from_db()
        assert (listing.email, listing.email_public) == ("b@example.org", False)


class TestUnsafeCells:
    """Cells that would reach the database in queries or columns that cannot hold them: cleaned as the forms clean
    what is typed (localdir.text), never a 500."""

    @pytest.mark.parametrize("column", ["external_id", "insee_code", "name", "commune", "phone", "categories"])
    @pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f"])
    def test_a_control_character_is_stripped_as_in_the_forms(self, taxonomy, column, character):
        row = a_row(external_id="a1", insee_code="49007", phone="0241000000")
        cell = row[HEADER.index(column)]
        row[HEADER.index(column)] = cell[:1] + character + cell[1:]
        report = imports.read(make_csv([row]))
        assert not report.errors, report.errors
        assert report.save() == 1
        listing = Listing.objects.get()
        assert (listing.external_id, listing.name, listing.commune.insee_code) == ("a1", "Ferme A", "49007")

    def test_a_line_break_in_a_one_line_column_becomes_a_space(self, taxonomy):
        report = imports.read(make_csv([a_row(name="Ferme\nA")]))
        assert report.save() == 1
        assert Listing.objects.get().name == "Ferme A"

    def test_line_breaks_and_tabs_are_fine_in_multiline_columns(self, taxonomy):
        header = [*HEADER, "description", "other_links"]
        row = a_row() + ["Chèvres.\r\n\tTraite à la main.", "https://a.example.org/\nhttps://b.example.org/"]
        report = imports.read(make_csv([row], header=header))
        assert not report.errors, report.errors
        report.save()
        assert Listing.objects.get().other_links == "https://a.example.org/\nhttps://b.example.org/"

    def test_an_external_id_too_long_is_an_error(self, taxonomy):
        report = imports.read(make_csv([a_row(external_id="x" * 101)]))
        assert [(number, column) for number, column, _m in report.errors] == [(2, "external_id")]
        assert report.save() == 0

    def test_a_slug_too_long_is_not_kept(self, taxonomy):
        report = imports.read(make_csv([a_row() + ["a" * 200]], header=[*HEADER, "slug"]))
        assert report.save() == 1
        assert Listing.objects.get().slug.startswith("ferme-a")


class TestUnreadableFile:
    def test_a_cell_over_the_csv_limit_is_a_file_error(self, taxonomy):
        text = make_csv([a_row(), a_row(name="Ferme B", opening_hours="x" * 200_000)])
        report = imports.read(text)
        [(number, column, message)] = report.errors
        assert number == 1 and "ligne 3" in message and "128 Ko" in message
        assert report.rows == []
        assert report.save() == 0
        assert Listing.objects.count() == 0

    def test_a_header_over_the_csv_limit_is_a_file_error(self, taxonomy):
        report = imports.read(make_csv([a_row()], header=[*HEADER[:-1], "x" * 200_000]))
        [(number, _column, message)] = report.errors
        assert number == 1 and "ligne 1" in message


class TestRoundTrip:
    def test_export_then_import_into_an_empty_database_gives_the_same_listings(self, client, taxonomy, towns):
        full_listing(name="Fromagerie Bréhéret")
        ListingFactory(name="Boutique", kind=Listing.Kind.SHOP, commune=towns["avrille"], categories=[taxonomy["veg"]])
        ListingFactory(name="Cave", commune=towns["bordeaux"], categories=[taxonomy["veg"]], opening_hours="")
        before = [{**row, "updated_at": None} for row in exports.records(Listing.objects.published())]
        body = b"".join(client.get("/export/activites.csv").streaming_content)
        Listing.objects.all().delete()

        report = imports.read(body)
        assert not report.errors, report.errors
        assert report.save(publish=True) == 3
        after = [{**row, "updated_at": None} for row in exports.records(Listing.objects.published())]
        # The addresses come back private: the file does not say they may be shown.
        assert after == [{**row, "email": ""} for row in before]
        assert Listing.objects.get(name="Fromagerie Bréhéret").email == "contact@example.org"

        # With an email_public column saying so, the same listings as before.
        Listing.objects.all().delete()
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        rows = [[*rows[0], "email_public"], *([*row, "oui"] for row in rows[1:])]
        report = imports.read(make_csv(rows[1:], header=rows[0]))
        assert not report.errors, report.errors
        assert report.save(publish=True) == 3
        after = [{**row, "updated_at": None} for row in exports.records(Listing.objects.published())]
        assert after == before

    def test_a_listing_sent_with_control_characters_exports_and_imports_unchanged(self, client, taxonomy, towns):
        # The sign-up form and the import clean texts by the same rules (localdir.text.clean_text).
        from tests.moderation.conftest import started_seconds_ago

        typed = {
            "name": "Ferme\x1b du\tLac",
            "kind": "producer",
            "categories": ["legumes"],
            "short_description": "Chèvres\x0b bio\r\net brebis",
            "description": "Élevées en plein air.\x00\r\n\tTraite à la main.",
            "street_address": "12\true des Lices\x7f",
            "commune": "Avrillé",
            "postal_code": "49240",
            "email": "lac@example.org",
            "fax_number": "",
            "started": started_seconds_ago(),
        }
        assert client.post("/inscrire/", typed).status_code == 302
        Listing.objects.update(status=Listing.Status.PUBLISHED)
        listing = Listing.objects.get()
        assert (listing.name, listing.short_description) == ("Ferme du Lac", "Chèvres bio et brebis")
        assert listing.description == "Élevées en plein air.\n\tTraite à la main."
        before = [{**row, "updated_at": None} for row in exports.records(Listing.objects.published())]
        body = b"".join(client.get("/export/activites.csv").streaming_content)
        Listing.objects.all().delete()

        report = imports.read(body)
        assert not report.errors, report.errors
        assert report.save(publish=True) == 1
        assert [{**row, "updated_at": None} for row in exports.records(Listing.objects.published())] == before

    def test_a_file_with_control_characters_is_cleaned_as_the_forms_clean_them(self, taxonomy):
        header = [*HEADER, "short_description", "description"]
        row = a_row(name="Ferme\x1b A") + ["Chèvres\x0b bio\r\net brebis", "Plein air.\x00\r\n\tTraite."]
        report = imports.read(make_csv([row], header=header))
        assert not report.errors, report.errors
        assert report.save() == 1
        listing = Listing.objects.get()
        assert (listing.name, listing.short_description) == ("Ferme A", "Chèvres bio et brebis")
        assert listing.description == "Plein air.\n\tTraite."


class TestSpreadsheetRoundTrip:
    """The export's protection against formulas is undone on import; stored control characters never block it."""

    NAMES = ["=1+1", "+ferme plus", "-ferme moins-", "@ferme arobase", "'=déjà protégée", "'apostrophe"]

    def listings(self, taxonomy, towns):
        for name in self.NAMES:
            ListingFactory(
                name=name,
                short_description=f"-{name}",
                # A leading tab would be stripped by the form like any leading space: one inside stays.
                description="=SUM(A1)\n\tsuite",
                phone="+33241000000",
                commune=towns["avrille"],
                categories=[taxonomy["veg"]],
            )
        # A number from overseas keeps its country code.
        ListingFactory(name="Vanille", phone="+262262000000", commune=towns["avrille"], categories=[taxonomy["veg"]])

    def records(self):
        return [
            {**row, "updated_at": None, "slug": None, "url": None} for row in exports.records(Listing.objects.all())
        ]

    def test_an_export_re_imports_unchanged_into_an_empty_directory(self, client, taxonomy, towns):
        self.listings(taxonomy, towns)
        before = self.records()
        body = b"".join(client.get("/export/activites.csv").streaming_content)
        assert b"'=1+1" in body and b"'+33241000000" in body
        Listing.objects.all().delete()
        report = imports.read(body)
        assert not report.errors, report.errors
        assert report.save(publish=True) == len(self.NAMES) + 1
        assert self.records() == before
        assert Listing.objects.get(name="=1+1").phone.as_e164 == "+33241000000"
        assert Listing.objects.get(name="Vanille").phone.as_e164 == "+262262000000"

    def test_an_export_re_imported_over_the_directory_changes_nothing(self, client, taxonomy, towns):
        self.listings(taxonomy, towns)
        body = b"".join(client.get("/export/activites.csv").streaming_content)
        report = imports.read(body)
        assert [(row.action, row.changes) for row in report.rows] == [("update", [])] * (len(self.NAMES) + 1)

    def test_stored_control_characters_never_make_the_export_unimportable(self, client, taxonomy, towns):
        listing = ListingFactory(
            name="Ferme\x1bdu Lac",
            short_description="Œufs\x0bet lait",
            description="Ligne\x07 une\nLigne deux",
            commune=towns["avrille"],
            categories=[taxonomy["veg"]],
        )
        listing.deliveries.create(mode=delivery_mode("click-and-collect"), details="Samedi\nDimanche")
        body = b"".join(client.get("/export/activites.csv").streaming_content)
        report = imports.read(body)
        assert not report.errors, report.errors
        assert [row.action for row in report.rows] == ["update"]
        report.save()
        listing = Listing.objects.get()
        assert (listing.name, listing.short_description) == ("Ferme du Lac", "Œufs et lait")
        assert [(d.mode.code, d.details) for d in listing.deliveries.all()] == [
            ("click-and-collect", "Samedi Dimanche")
        ]


@pytest.fixture
def import_url():
    return reverse("admin:producers_listing_import")


def staff(*permissions):
    user = UserFactory(is_staff=True)
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


class TestAdminImport:
    def upload(self, client, url, text, name="listings.csv"):
        return client.post(url, {"step": "preview", "file": SimpleUploadedFile(name, text.encode(), "text/csv")})

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client, import_url):
        response = client.get(import_url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))

    def test_staff_without_the_add_permission_is_refused(self, client, import_url, taxonomy):
        client.force_login(staff("view_listing", "change_listing"))
        assert client.get(import_url).status_code == 403
        text = make_csv([["", "Ferme A", "producer", "legumes", "Angers", "", "49000", "", ""]])
        assert self.upload(client, import_url, text).status_code == 403
        assert client.post(import_url, {"step": "confirm"}).status_code == 403
        assert Listing.objects.count() == 0

    def test_the_changelist_has_the_button(self, client, import_url):
        client.force_login(staff("view_listing", "add_listing"))
        html = client.get(reverse("admin:producers_listing_changelist")).content.decode()
        assert f'href="{import_url}"' in html

    def test_upload_report_then_confirm(self, client, import_url, taxonomy):
        client.force_login(staff("view_listing", "add_listing"))
        assert client.get(import_url).status_code == 200
        text = make_csv(
            [
                ["", "Ferme A", "producer", "legumes", "Angers", "", "49000", "", ""],
                ["", "Ferme B", "producer", "legumes", "Atlantide", "", "49000", "", ""],
            ]
        )
        response = self.upload(client, import_url, text)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="import-errors"' in html and "Atlantide" in html
        assert "<td>3</td><td>commune</td>" in html
        assert Listing.objects.count() == 0

        assert "Publier dès maintenant les nouvelles activités" in html and "gardent leur statut" in html
        response = client.post(import_url, {"step": "confirm", "publish": "on"})
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:producers_listing_changelist")
        assert list(Listing.objects.values_list("name", "status")) == [("Ferme A", "published")]
        # The file is used once: confirming again imports nothing more.
        response = client.post(import_url, {"step": "confirm"})
        assert response["Location"] == import_url
        assert Listing.objects.count() == 1

    def test_the_report_lists_the_fields_each_row_changes(self, client, import_url, taxonomy, towns):
        client.force_login(staff("view_listing", "add_listing"))
        ListingFactory(name="Ferme A", commune=towns["angers"], short_description="Avant")
        text = make_csv([["Ferme A", "Angers", "Après"]], header=["name", "commune", "short_description"])
        html = self.upload(client, import_url, text).content.decode()
        label = str(Listing._meta.get_field("short_description").verbose_name)
        assert f"<td>{label}</td>" in html
        assert Listing.objects.get().short_description == "Avant"

    def test_a_refused_listing_is_reported_and_stays_refused(self, client, import_url, taxonomy, towns):
        ListingFactory(name="Ferme A", commune=towns["angers"], status=Listing.Status.REJECTED)
        client.force_login(staff("view_listing", "add_listing"))
        html = self.upload(client, import_url, make_csv([a_row(), a_row(name="Ferme B")])).content.decode()
        assert "<td>2</td><td>name</td>" in html and "ne peut pas être importée à nouveau" in html
        client.post(import_url, {"step": "confirm", "publish": "on"})
        assert dict(Listing.objects.values_list("name", "status")) == {"Ferme A": "rejected", "Ferme B": "published"}

    def test_a_nul_byte_is_dropped_never_a_500(self, client, import_url, taxonomy):
        client.force_login(staff("view_listing", "add_listing"))
        response = self.upload(client, import_url, make_csv([a_row(external_id="a\x00", insee_code="49\x00007")]))
        assert response.status_code == 200
        client.post(import_url, {"step": "confirm", "publish": "on"})
        assert Listing.objects.values_list("external_id", "commune__insee_code").get() == ("a", "49007")

    def test_a_cell_over_the_csv_limit_is_reported(self, client, import_url, taxonomy):
        client.force_login(staff("view_listing", "add_listing"))
        response = self.upload(client, import_url, make_csv([a_row(opening_hours="x" * 200_000)]))
        assert response.status_code == 200
        assert "128 Ko" in response.content.decode()
        assert imports_session_key() not in client.session
        assert client.post(import_url, {"step": "confirm"})["Location"] == import_url
        assert Listing.objects.count() == 0

    def test_the_confirmation_needs_csrf(self, import_url, taxonomy):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(staff("view_listing", "add_listing"))
        assert client.post(import_url, {"step": "confirm"}).status_code == 403


class TestCommand:
    def test_dry_run_then_commit(self, tmp_path, taxonomy):
        path = tmp_path / "listings.csv"
        path.write_text(
            make_csv(
                [
                    ["", "Ferme A", "producer", "legumes", "Angers", "", "49000", "", ""],
                    ["", "Ferme B", "producer", "legumes", "Angers", "", "49000", "+44 20 7946 0958", ""],
                ]
            ),
            encoding="utf-8",
        )
        out = io.StringIO()
        call_command("import_listings", str(path), stdout=out)
        assert "row 3\tphone\t" in out.getvalue()
        assert "row 2\tcreate\tname, kind, categories, postal_code, commune\n" in out.getvalue()
        assert Listing.objects.count() == 0
        call_command("import_listings", str(path), "--commit", "--publish", stdout=io.StringIO())
        assert list(Listing.objects.values_list("name", "status")) == [("Ferme A", "published")]

    def test_a_cell_over_the_csv_limit_is_a_file_error(self, tmp_path, taxonomy):
        path = tmp_path / "listings.csv"
        path.write_text(make_csv([a_row(opening_hours="x" * 200_000)]), encoding="utf-8")
        out = io.StringIO()
        with pytest.raises(CommandError):
            call_command("import_listings", str(path), "--commit", stdout=out)
        assert "row 1\t-\t" in out.getvalue() and "128 Ko" in out.getvalue()
        assert Listing.objects.count() == 0


def imports_session_key():
    from producers.admin import IMPORT_SESSION_KEY

    return IMPORT_SESSION_KEY


def test_delivery_modes_round_trip_through_the_export_format(taxonomy):
    listing = full_listing()
    listing.deliveries.all().delete()
    listing.deliveries.create(mode=delivery_mode("home-delivery"), details="Angers: le mardi")
    [record] = exports.records(Listing.objects.filter(pk=listing.pk))
    data = imports.form_data({"delivery_modes": exports.SEPARATOR.join(record["delivery_modes"])})
    field = ListingForm.base_fields["delivery_modes"]
    assert [(m.code, d) for m, d in field.clean(data["delivery_modes"])] == [("home-delivery", "Angers: le mardi")]
