"""Registering an activity: /inscrire/ stores a pending listing, emails the private link, and refuses robots."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from moderation.models import EditToken
from producers.models import Commune, Listing, Locality
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db

URL = "/inscrire/"


def test_the_form_shows_every_section(client, angers):
    html = client.get(URL).content.decode()
    # activity, place, contact, hours, how people buy, markets, photos
    assert html.count('<fieldset class="form-section">') == 7
    for name in [
        "name",
        "commune",
        "postal_code",
        "email",
        "latitude",
        "longitude",
        "photo_1",
        "photo_6",
        "image_rights",
    ]:
        assert f'name="{name}"' in html
    assert 'name="opening_hours_mode"' in html
    assert "moderation/pin.js" in html


def test_a_box_to_tick_is_followed_by_its_words_without_a_colon(client, angers):
    """A colon after a label announces the box to fill in next; a tick box comes before its words."""
    html = client.get(URL).content.decode()
    label = re.search(
        r'<input type="checkbox" name="email_public"[^>]*>\s*<label for="id_email_public">(.*?)</label>', html
    )
    assert label[1] == "Afficher l’adresse e-mail sur la fiche"


def test_it_stores_a_pending_listing_and_emails_the_private_link(
    client, submission, angers, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, submission)
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:submitted")
    listing = Listing.objects.get()
    assert listing.status == Listing.Status.PENDING
    assert listing.commune == angers
    assert (listing.latitude, listing.longitude) == (47.48, -0.55)
    assert list(listing.categories.all()) == [category]
    assert listing.opening_hours == "Mo-Fr 09:00-18:00"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ferme@example.org"]
    link = re.search(r"http\S+/modifier/\S+/", mail.outbox[0].body)[0]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert EditToken.find(token).listing == listing
    page = client.get(reverse("moderation:submitted"))
    assert "moderation/submitted.html" in [t.name for t in page.templates]


def test_a_pin_far_from_the_town_falls_back_to_the_town(client, submission, angers):
    client.post(URL, {**submission, "latitude": "43.3", "longitude": "5.4"})
    listing = Listing.objects.get()
    assert (listing.latitude, listing.longitude) == (angers.latitude, angers.longitude)


def test_without_javascript_the_pin_is_the_town(client, submission, angers):
    client.post(URL, {**submission, "latitude": "", "longitude": ""})
    listing = Listing.objects.get()
    assert (listing.latitude, listing.longitude) == (angers.latitude, angers.longitude)


def test_a_postal_code_of_another_town_is_refused_next_to_the_field(client, submission):
    response = client.post(URL, {**submission, "postal_code": "75001"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "postal_code" in form.errors
    assert 'value="Ferme des Trois Chênes"' in response.content.decode()
    assert not Listing.objects.exists()


def test_an_unknown_town_is_refused(client, submission):
    response = client.post(URL, {**submission, "commune": "Atlantide"})
    assert "commune" in response.context["form"].errors
    assert not Listing.objects.exists()


def test_an_email_is_required(client, submission):
    response = client.post(URL, {**submission, "email": ""})
    assert "email" in response.context["form"].errors


class TestSpam:
    def test_the_honeypot_blocks_politely_and_stores_nothing(
        self, client, submission, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL, {**submission, "fax_number": "0102030405"})
        assert response.status_code == 400
        assert response.context["reason"] == "spam"
        assert not Listing.objects.exists()
        assert not mail.outbox

    # A form sent within seconds, or with an old or forged timer: tests/moderation/test_spam_timer.py.

    def test_the_sixth_listing_stored_within_an_hour_is_refused(self, client, submission, rate_limit_clock):
        for n in range(5):
            assert client.post(URL, {**submission, "name": f"Ferme {n}"}).status_code == 302
        response = client.post(URL, {**submission, "name": "Ferme 6"})
        assert response.status_code == 429
        assert "moderation/submit.html" in [t.name for t in response.templates]
        assert Listing.objects.count() == 5

    def test_gets_are_not_counted(self, client, submission):
        for _n in range(10):
            client.get(URL)
        assert client.post(URL, submission).status_code == 302


def test_the_town_suggestions_carry_the_point_the_pin_moves_to(client, angers):
    response = client.get(reverse("producers:commune_autocomplete"), {"q": "ang"})
    (result,) = response.json()["results"]
    assert result["label"] == "Angers (49)"
    assert (result["insee_code"], result["latitude"], result["longitude"]) == ("49007", 47.4711, -0.5518)


def test_the_pin_map_knows_the_town_field(client, angers):
    html = client.get(URL).content.decode()
    assert 'data-commune-input="id_commune"' in html
    assert 'data-insee-input="id_insee_code"' in html


def test_a_former_commune_picked_in_the_suggestions_gives_its_commune_nouvelle(client, submission):
    loire_authion = CommuneFactory(
        insee_code="49307", name="Loire-Authion", postal_codes="49800", latitude=47.46, longitude=-0.31
    )
    Locality.objects.create(
        insee_code="49004",
        kind=Locality.Kind.DELEGATED,
        name="Andard",
        commune=loire_authion,
        latitude=47.457,
        longitude=-0.3985,
    )
    # What the pin script leaves after the pick: the label in the box and the commune's code in the hidden field.
    data = {**submission, "commune": "Andard (Loire-Authion)", "insee_code": "49307", "postal_code": "49800"}
    assert client.post(URL, data).status_code == 302
    assert Listing.objects.get().commune == Commune.objects.get(insee_code="49307")
