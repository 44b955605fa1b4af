"""Forgiving fields: what a producer types the usual way is understood, and what is refused says what to type."""

import pytest

from producers.models import Listing
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db

URL = "/inscrire/"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("@la.ferme_du_lac", "https://www.instagram.com/la.ferme_du_lac/"),
        ("la.ferme_du_lac", "https://www.instagram.com/la.ferme_du_lac/"),
        ("https://www.instagram.com/la.ferme_du_lac/", "https://www.instagram.com/la.ferme_du_lac/"),
        ("instagram.com/la.ferme_du_lac", "https://instagram.com/la.ferme_du_lac"),
    ],
)
def test_instagram_takes_a_handle_or_an_address_and_stores_the_address(client, submission, typed, stored):
    assert client.post(URL, {**submission, "instagram_url": typed}).status_code == 302
    assert Listing.objects.get().instagram_url == stored


@pytest.mark.parametrize("typed", ["@FermeDuLac", "FermeDuLac", "https://www.facebook.com/FermeDuLac"])
def test_facebook_takes_a_handle_or_an_address(client, submission, typed):
    assert client.post(URL, {**submission, "facebook_url": typed}).status_code == 302
    assert Listing.objects.get().facebook_url == "https://www.facebook.com/FermeDuLac"


def test_a_handle_with_spaces_says_what_to_type(client, submission):
    response = client.post(URL, {**submission, "instagram_url": "@la ferme"})
    assert response.context["form"].errors["instagram_url"] == [
        "Indiquez le nom de votre compte (@nom) ou l’adresse de sa page."
    ]


@pytest.mark.parametrize("phone", ["12 34", "+32 2 555 12 12"])
def test_a_wrong_phone_number_says_which_format_is_expected(client, submission, phone):
    response = client.post(URL, {**submission, "phone": phone})
    [message] = response.context["form"].errors["phone"]
    assert "02 41 12 34 56" in message


def test_an_empty_postal_code_is_the_towns_only_one(client, submission):
    CommuneFactory(insee_code="49099", name="Cholet", postal_codes="49300", latitude=47.06, longitude=-0.879)
    response = client.post(URL, {**submission, "commune": "Cholet", "postal_code": "", "latitude": "47.06"})
    assert response.status_code == 302
    assert Listing.objects.get().postal_code == "49300"


def test_control_characters_are_stripped_and_line_breaks_kept_where_there_are_lines(client, submission):
    data = {
        **submission,
        "short_description": "Légumes\x1b[31m bio\r\net œufs",
        "description": "Maraîchage\x00 sur sol vivant.\r\n\r\nVente\x07 à la ferme.",
        "street_address": "12\tchemin des Prés\x0b",
    }
    assert client.post(URL, data).status_code == 302
    listing = Listing.objects.get()
    assert listing.short_description == "Légumes[31m bio et œufs"
    assert listing.description == "Maraîchage sur sol vivant.\n\nVente à la ferme."
    assert listing.street_address == "12 chemin des Prés"


@pytest.mark.parametrize("character", ["\u202e", "\u200b", "\u2066", "\ufeff"])
def test_direction_overrides_and_zero_width_characters_are_refused_in_the_name(client, submission, character):
    response = client.post(URL, {**submission, "name": f"Ferme{character}enoB"})
    assert response.status_code == 200
    [message] = response.context["form"].errors["name"]
    assert "invisibles" in message
    assert not Listing.objects.exists()
