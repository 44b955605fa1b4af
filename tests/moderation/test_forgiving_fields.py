"""Forgiving fields: what a producer types the usual way is understood, and what is refused says what to type."""

import re

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


@pytest.mark.parametrize(
    "typed", ["https://m.facebook.com/FermeDuLac", "fr-fr.facebook.com/FermeDuLac", "https://fb.com/FermeDuLac"]
)
def test_facebook_takes_its_other_addresses(client, submission, typed):
    assert client.post(URL, {**submission, "facebook_url": typed}).status_code == 302
    assert Listing.objects.get().facebook_url.endswith("/FermeDuLac")


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        # Names holding a short domain of the network (instagr.am, fb.me): names still, not addresses elsewhere.
        ("instagram_url", "@instagr.amelie", "https://www.instagram.com/instagr.amelie/"),
        ("instagram_url", "instagr.amelie", "https://www.instagram.com/instagr.amelie/"),
        ("facebook_url", "ferme.fb.meuh", "https://www.facebook.com/ferme.fb.meuh"),
        ("facebook_url", "@ferme.fb.me", "https://www.facebook.com/ferme.fb.me"),
    ],
)
def test_a_name_holding_a_short_domain_is_a_name(client, submission, field, typed, stored):
    assert client.post(URL, {**submission, field: typed}).status_code == 302
    assert getattr(Listing.objects.get(), field) == stored


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("instagram_url", "instagr.am/la.ferme_du_lac"),
        ("instagram_url", "https://www.instagram.com/la.ferme_du_lac/?igsh=MWQ1ZGUxMzBkMA=="),
        ("facebook_url", "https://fb.me/FermeDuLac"),
        ("facebook_url", "web.facebook.com/FermeDuLac"),
        ("facebook_url", "https://business.facebook.com/FermeDuLac"),
        ("facebook_url", "https://www.facebook.com/share/1AbCdEfGh/"),
        ("facebook_url", "https://www.facebook.com/profile.php?id=100012345678901"),
        ("facebook_url", "https://www.facebook.com/FermeDuLac?mibextid=ZbWKwL"),
    ],
)
def test_the_networks_addresses_stay_addresses(client, submission, field, typed):
    assert client.post(URL, {**submission, field: typed}).status_code == 302
    stored = getattr(Listing.objects.get(), field)
    assert stored.removeprefix("https://") == typed.removeprefix("https://")


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        # The website typed in the box below it, or another network's page: the listing said "Facebook" for it.
        ("facebook_url", "https://www.ferme-du-lac.fr/"),
        ("facebook_url", "https://www.instagram.com/la.ferme_du_lac/"),
        ("facebook_url", "https://facebook.com.example.net/FermeDuLac"),
        ("facebook_url", "https://www.facebook.com@example.net/FermeDuLac"),
        ("instagram_url", "ferme-du-lac.fr/boutique"),
        ("instagram_url", "https://example.net/instagram.com/la.ferme_du_lac"),
    ],
)
def test_an_address_on_another_site_is_refused_and_says_where_it_should_be(client, submission, field, typed):
    response = client.post(URL, {**submission, field: typed})
    assert response.status_code == 200 and not Listing.objects.exists()
    [message] = response.context["form"].errors[field]
    domain = "facebook.com" if field == "facebook_url" else "instagram.com"
    assert f"n’est pas sur {domain}" in message and "@nom" in message
    # What was typed stays in the box, to be corrected.
    assert f'value="{typed}"' in response.content.decode()


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


@pytest.mark.parametrize("typed", ["49 000", " 49000 ", "49\u00a0000"])
def test_a_postal_code_typed_with_a_space_is_read(client, submission, typed):
    assert client.post(URL, {**submission, "postal_code": typed}).status_code == 302
    assert Listing.objects.get().postal_code == "49000"


@pytest.mark.parametrize("typed", ["490000", "4900", "49OOO", "\uff14\uff19\uff10\uff10\uff10"])
def test_a_postal_code_that_is_not_five_digits_says_what_to_type(client, submission, typed):
    response = client.post(URL, {**submission, "postal_code": typed})
    assert response.context["form"].errors["postal_code"] == [
        "Indiquez un code postal de 5 chiffres, par exemple 49000."
    ]


def test_the_postal_code_box_takes_the_space_and_offers_the_digit_keyboard(client, submission):
    html = client.get(URL).content.decode()
    box = re.search(r'<input type="text" name="postal_code"[^>]*>', html)[0]
    assert 'maxlength="6"' in box and 'inputmode="numeric"' in box and 'autocomplete="postal-code"' in box


@pytest.mark.parametrize(
    ("name", "purpose"),
    [("name", "organization"), ("street_address", "street-address"), ("email", "email"), ("phone", "tel")],
)
def test_the_producers_own_details_say_their_purpose_for_autofill(client, submission, name, purpose):
    html = client.get(URL).content.decode()
    box = re.search(rf'<input [^>]*name="{name}"[^>]*>', html)[0]
    assert f'autocomplete="{purpose}"' in box


def test_the_profile_labels_begin_with_a_capital_like_the_others(client, submission):
    """French model names are lower case ("page Facebook"); a label on its own line is not."""
    html = client.get(URL).content.decode()
    assert re.search(r'<label for="id_facebook_url">Page Facebook\s:</label>', html)
    assert re.search(r'<label for="id_instagram_url">Compte Instagram\s:</label>', html)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("website", "pas un site", "Indiquez l’adresse de votre site, par exemple www.ferme-du-lac.fr."),
        ("facebook_url", "facebook.com/ma ferme", "Indiquez le nom de votre compte (@nom) ou l’adresse de sa page."),
    ],
)
def test_a_bad_web_address_says_which_answer_and_what_to_type(client, submission, field, value, message):
    """The summary at the top said "Saisissez une URL valide.", naming neither the answer nor what to type."""
    response = client.post("/inscrire/", {**submission, field: value})
    assert response.context["form"].errors[field] == [message]
    page = response.content.decode()
    assert f'<a href="#id_{field}">{message}</a>' in page
    assert f'value="{value}"' in page
