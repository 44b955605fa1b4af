"""A commune name that fits several communes, or only a look-alike, is never taken silently on the registration form:
the producer chooses among radio buttons (no JavaScript needed), told next to the field and in the error summary."""

import re

import pytest
from django.template.loader import render_to_string

from producers.models import Commune, Department, Listing, Locality, Region
from producers.towns import Place
from tests.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db

URL = "/inscrire/"
CHOICE = re.compile(r'<input type="radio" name="commune_choice" value="([0-9AB]{5})" id="([^"]+)"')


def department(code, name):
    return DepartmentFactory(code=code, name=name, region=Region.objects.get_or_create(code=f"9{code}")[0])


@pytest.fixture
def cannets(db):
    """Le Cannet (06), Le Cannet-des-Maures (83), and Cannet, a former commune now part of Riscle (32)."""
    le_cannet = CommuneFactory(
        insee_code="06030", name="Le Cannet", postal_codes="06110", population=41471, latitude=43.57, longitude=7.01,
        department=department("06", "Alpes-Maritimes"),
    )  # fmt: skip
    des_maures = CommuneFactory(
        insee_code="83031", name="Le Cannet-des-Maures", postal_codes="83340", population=4300, latitude=43.39,
        longitude=6.34, department=department("83", "Var"),
    )  # fmt: skip
    riscle = CommuneFactory(
        insee_code="32344", name="Riscle", postal_codes="32400", population=1830, latitude=43.66, longitude=-0.09,
        department=department("32", "Gers"),
    )  # fmt: skip
    Locality.objects.create(
        insee_code="32074", kind=Locality.Kind.DELEGATED, name="Cannet", commune=riscle, latitude=43.6, longitude=-0.05
    )
    return {"le_cannet": le_cannet, "des_maures": des_maures, "riscle": riscle}


@pytest.fixture
def saint_omers(db):
    return {
        "62": CommuneFactory(
            insee_code="62765", name="Saint-Omer", postal_codes="62500", population=14782, latitude=50.75,
            longitude=2.25, department=department("62", "Pas-de-Calais"),
        ),
        "14": CommuneFactory(
            insee_code="14635", name="Saint-Omer", postal_codes="14220", population=184, latitude=48.92,
            longitude=-0.44, department=department("14", "Calvados"),
        ),
    }  # fmt: skip


def test_a_name_left_without_its_article_is_asked_about_not_taken(client, submission, cannets):
    response = client.post(URL, {**submission, "commune": "Cannet", "postal_code": ""})
    assert response.status_code == 200
    assert not Listing.objects.exists()
    html = response.content.decode()
    # Le Cannet, Le Cannet-des-Maures and Riscle (for Cannet, its former commune): one radio button each.
    assert [code for code, _id in CHOICE.findall(html)] == ["32344", "06030", "83031"]
    assert "Cannet (Riscle)" in html and "Le Cannet-des-Maures (83)" in html
    # The message next to the field and in the summary, linked to the first choice; the name typed is kept.
    message = (
        "Plusieurs communes correspondent à « Cannet » : choisissez la vôtre ci-dessous, ou donnez votre code postal."
    )
    assert html.count(message) == 2
    assert f'<a href="#{CHOICE.findall(html)[0][1]}">{message}</a>' in html
    assert 'id="id_commune_error"' in html
    assert 'name="commune" value="Cannet"' in html


def test_the_commune_chosen_is_the_listing_s(client, submission, cannets):
    data = {**submission, "commune": "Cannet", "postal_code": "", "commune_choice": "83031"}
    assert client.post(URL, data).status_code == 302
    listing = Listing.objects.get()
    assert listing.commune == cannets["des_maures"]
    assert listing.postal_code == "83340"


def test_a_choice_kept_on_a_form_refused_for_another_answer(client, submission, cannets):
    data = {**submission, "commune": "Cannet", "postal_code": "", "commune_choice": "83031", "email": ""}
    html = client.post(URL, data).content.decode()
    assert 'value="83031" id="id_commune_choice_2" checked' in html
    assert "Plusieurs communes correspondent" not in html


def test_a_choice_not_offered_for_the_name_sent_is_ignored(client, submission, cannets, angers):
    # A real commune, chosen for another name typed before, is no answer for "Cannet": its choices are asked again.
    data = {**submission, "commune": "Cannet", "postal_code": "", "commune_choice": angers.insee_code}
    response = client.post(URL, data)
    assert response.status_code == 200
    assert not Listing.objects.exists()
    html = response.content.decode()
    assert [code for code, _id in CHOICE.findall(html)] == ["32344", "06030", "83031"]
    assert "Plusieurs communes correspondent à « Cannet »" in html


def test_each_choice_moves_the_pin_to_its_own_place(client, submission, cannets):
    html = client.post(URL, {**submission, "commune": "Cannet", "postal_code": ""}).content.decode()
    points = dict(re.findall(r'value="([0-9AB]{5})" id="[^"]+" aria-describedby="[^"]+"\s+data-commune-choice'
                             r' data-latitude="([^"]+)"', html))  # fmt: skip
    # Cannet, now part of Riscle, is 5 km from Riscle's town hall: the pin goes to Cannet.
    assert points == {"32344": "43.600000", "06030": "43.570000", "83031": "43.390000"}


def test_a_choice_without_coordinates_gives_the_pin_none():
    class Form:
        def commune_choice_rows(self):
            return "commune_choice", [("id_commune_choice_0", "99999", Place(Commune(insee_code="99999")), False)]

    html = render_to_string("moderation/includes/commune_choices.html", {"form": Form()})
    assert "data-commune-choice>" in html
    assert "data-latitude" not in html and "data-longitude" not in html


def test_the_postal_code_tells_which_one(client, submission, cannets):
    assert client.post(URL, {**submission, "commune": "Cannet", "postal_code": "06110"}).status_code == 302
    assert Listing.objects.get().commune == cannets["le_cannet"]


def test_the_full_name_is_taken_at_once(client, submission, cannets):
    assert client.post(URL, {**submission, "commune": "Le Cannet", "postal_code": ""}).status_code == 302
    assert Listing.objects.get().commune == cannets["le_cannet"]


@pytest.mark.parametrize("typed", ["Sanit-Omer", "sain omer", "St Omer", "saint omer"])
def test_homonyms_and_a_misspelt_saint_are_asked_about(client, submission, saint_omers, typed):
    html = client.post(URL, {**submission, "commune": typed, "postal_code": ""}).content.decode()
    assert [code for code, _id in CHOICE.findall(html)] == ["62765", "14635"]
    assert not Listing.objects.exists()
    data = {**submission, "commune": typed, "postal_code": "", "commune_choice": "14635"}
    assert client.post(URL, data).status_code == 302
    assert Listing.objects.get().commune == saint_omers["14"]


def test_a_misspelt_name_s_look_alikes_are_not_said_to_bear_it(client, submission, saint_omers):
    html = client.post(URL, {**submission, "commune": "Sanit-Omer", "postal_code": ""}).content.decode()
    message = (
        "Aucune commune ne s’appelle «\u202fSanit-Omer\u202f»\xa0: si la vôtre est l’une de celles ci-dessous, "
        "choisissez-la\u202f; sinon, corrigez le nom."
    )
    assert html.count(message) == 2  # next to the field and in the summary
    assert "Plusieurs communes correspondent" not in html


def test_the_postal_code_of_a_former_commune_s_commune_tells_which_one(client, submission, cannets):
    assert client.post(URL, {**submission, "commune": "Cannet", "postal_code": "32400"}).status_code == 302
    assert Listing.objects.get().commune == cannets["riscle"]


@pytest.mark.parametrize("typed", ["Paris 15e", "Paris XVe", "paris 15"])
def test_an_arrondissement_is_taken_at_once_with_its_postal_code(client, submission, typed):
    paris = CommuneFactory(
        insee_code="75056", name="Paris", postal_codes="75001 75015", population=2100000, latitude=48.86,
        longitude=2.35, department=department("75", "Paris"),
    )  # fmt: skip
    Locality.objects.create(
        insee_code="75115", kind=Locality.Kind.ARRONDISSEMENT, name="Paris 15e Arrondissement", commune=paris,
        postal_codes="75015", latitude=48.84, longitude=2.29,
    )  # fmt: skip
    assert client.post(URL, {**submission, "commune": typed, "postal_code": ""}).status_code == 302
    assert (Listing.objects.get().commune, Listing.objects.get().postal_code) == (paris, "75015")


@pytest.fixture
def aixes(db):
    """Aix (19), a village, and Aix-en-Provence (13), whose name begins with it."""
    CommuneFactory(
        insee_code="19002", name="Aix", postal_codes="19200", population=300, department=department("19", "Corrèze")
    )
    CommuneFactory(
        insee_code="13001", name="Aix-en-Provence", postal_codes="13090 13100", population=145000,
        department=department("13", "Bouches-du-Rhône"),
    )  # fmt: skip


def test_a_village_whose_name_begins_a_bigger_town_s_is_asked_about(client, submission, aixes):
    # A file takes Aix (19) for "Aix" (producers.imports); the form, which can ask, offers Aix-en-Provence too.
    html = client.post(URL, {**submission, "commune": "Aix", "postal_code": ""}).content.decode()
    assert [code for code, _id in CHOICE.findall(html)] == ["19002", "13001"]
    assert not Listing.objects.exists()


def test_a_look_alike_is_offered_to_confirm_not_taken(client, submission, angers):
    html = client.post(URL, {**submission, "commune": "Angrs", "postal_code": ""}).content.decode()
    assert [code for code, _id in CHOICE.findall(html)] == ["49007"]
    assert "Vérifiez votre commune" in html
    assert not Listing.objects.exists()


def test_a_former_commune_typed_alone_leads_to_its_commune_nouvelle_once_confirmed(client, submission, cannets):
    data = {**submission, "commune": "Cannet (Riscle)", "postal_code": ""}
    assert client.post(URL, data).status_code == 302
    assert Listing.objects.get().commune == cannets["riscle"]
    assert Department.objects.get(code="32") == Listing.objects.get().commune.department


@pytest.mark.parametrize(
    ("typed", "postal_code", "insee_code"),
    [("Saint-Étienne", "76800", "76575"), ("Aix", "13100", "13001")],
)
def test_a_postal_code_s_town_whose_name_only_begins_with_the_name_is_asked_about(
    client, submission, aixes, typed, postal_code, insee_code
):
    # A file takes the postal code's Saint-Étienne-du-Rouvray for "Saint-Étienne" 76800 (producers.imports); the
    # form, which can ask, has the producer confirm it: they may have meant Saint-Étienne (42) and mistyped the code.
    CommuneFactory(
        insee_code="42218", name="Saint-Étienne", postal_codes="42000 42100", population=173000,
        department=department("42", "Loire"),
    )  # fmt: skip
    CommuneFactory(
        insee_code="76575", name="Saint-Étienne-du-Rouvray", postal_codes="76800", population=28000,
        department=department("76", "Seine-Maritime"),
    )  # fmt: skip
    data = {**submission, "commune": typed, "postal_code": postal_code, "latitude": "", "longitude": ""}

    html = client.post(URL, data).content.decode()
    assert [code for code, _id in CHOICE.findall(html)] == [insee_code]
    assert html.count("Vérifiez votre commune") == 2  # next to the field and in the summary
    assert not Listing.objects.exists()

    assert client.post(URL, {**data, "commune_choice": insee_code}).status_code == 302
    listing = Listing.objects.get()
    assert (listing.commune.insee_code, listing.postal_code) == (insee_code, postal_code)


def test_the_exact_name_with_its_postal_code_is_taken_at_once(client, submission):
    saint_etienne = CommuneFactory(
        insee_code="42218", name="Saint-Étienne", postal_codes="42000 42100", population=173000,
        department=department("42", "Loire"),
    )  # fmt: skip
    CommuneFactory(
        insee_code="42207", name="Saint-Étienne-le-Molard", postal_codes="42130", population=1000,
        department=Department.objects.get(code="42"),
    )  # fmt: skip
    data = {**submission, "commune": "Saint-Étienne", "postal_code": "42000", "latitude": "", "longitude": ""}
    assert client.post(URL, data).status_code == 302
    assert Listing.objects.get().commune == saint_etienne
