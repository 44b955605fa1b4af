"""Rate limits count what is stored: corrections are free, floods are stopped, and a limit reached gives the form
back with everything typed and the time to try again. For the sign-up, edit, lost-link and error-report forms."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from moderation.models import EditToken, ErrorReport
from producers.models import Listing
from tests.factories import ListingFactory

from .conftest import started_seconds_ago
from .test_edit_link import form_data
from .test_photos import jpeg

# Every test here counts requests against a rate.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rate_limit_clock")]

URL = "/inscrire/"
WAIT = re.compile(r"après (\d\d:\d\d)")


def test_corrections_do_not_count_against_the_limit(client, submission):
    for _n in range(8):
        assert client.post(URL, {**submission, "email": "pas-une-adresse"}).status_code == 200
    assert client.post(URL, submission).status_code == 302
    assert Listing.objects.count() == 1


def test_past_the_stored_limit_the_form_comes_back_with_everything_and_when_to_retry(client, submission):
    for n in range(5):
        assert client.post(URL, {**submission, "name": f"Ferme {n}"}).status_code == 302
    response = client.post(URL, {**submission, "name": "Ferme des Saules"})
    assert response.status_code == 429
    assert "moderation/submit.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert 'value="Ferme des Saules"' in html
    assert 'value="12 chemin des Prés"' in html
    assert WAIT.search(html)
    assert 'role="alert"' in html
    assert Listing.objects.count() == 5


def test_the_flood_ceiling_counts_every_post_and_decodes_no_photo(client, submission, settings):
    settings.MODERATION_POST_RATE = "3/h"
    for _n in range(3):
        client.post(URL, {**submission, "email": "pas-une-adresse"})
    photo = SimpleUploadedFile("ferme.jpg", jpeg(), "image/jpeg")
    response = client.post(URL, {**submission, "image_rights": "on", "photo_1": photo})
    assert response.status_code == 429
    assert WAIT.search(response.content.decode())
    assert 'value="Ferme des Trois Chênes"' in response.content.decode()
    assert response.context["form"].cleaned_data.get("photo_1") is None
    assert not Listing.objects.exists()


def test_the_limit_is_per_address(client, submission, settings):
    settings.MODERATION_SUBMIT_RATE = "1/h"
    assert client.post(URL, submission, REMOTE_ADDR="192.0.2.1").status_code == 302
    assert client.post(URL, {**submission, "name": "B"}, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.post(URL, {**submission, "name": "C"}, REMOTE_ADDR="192.0.2.2").status_code == 302


def test_a_get_is_never_counted(client, submission, settings):
    settings.MODERATION_POST_RATE = "1/h"
    for _n in range(5):
        assert client.get(URL).status_code == 200
    assert client.post(URL, submission).status_code == 302


@pytest.fixture
def other_forms(client, angers, category):
    """(url, valid data, invalid data, what a stored send leaves) of the edit, lost-link and report forms."""
    listing = ListingFactory(email="lac@example.org", categories=[category])
    token = EditToken.issue(listing)
    traps = {"fax_number": "", "started": started_seconds_ago()}
    return {
        "edit": (
            f"/modifier/{token}/",
            lambda n: form_data(listing, short_description=f"Version {n}"),
            form_data(listing, email="pas-une-adresse"),
            lambda: listing.revisions.count(),
        ),
        "lost link": (
            "/inscrire/lien-perdu/",
            lambda n: {"email": f"inconnu{n}@example.org", **traps},
            {"email": "pas-une-adresse", **traps},
            None,
        ),
        "report": (
            f"/activites/{listing.slug}/signaler/",
            lambda n: {"kind": "closed", "message": f"Fermé depuis {n} mois", **traps},
            {"kind": "closed", "message": "", **traps},
            lambda: ErrorReport.objects.count(),
        ),
    }


@pytest.mark.parametrize("name", ["edit", "lost link", "report"])
def test_the_other_forms_count_stored_sends_and_come_back_filled(client, other_forms, settings, name):
    settings.MODERATION_SUBMIT_RATE = "2/h"
    url, valid, invalid, stored = other_forms[name]
    for _n in range(4):
        assert client.post(url, invalid).status_code == 200
    for n in range(2):
        assert client.post(url, valid(n)).status_code == 200
    response = client.post(url, valid(9))
    assert response.status_code == 429
    html = response.content.decode()
    assert WAIT.search(html)
    assert "<form" in html and 'role="alert"' in html
    typed = {"edit": 'value="Version 9"', "lost link": 'value="inconnu9@example.org"', "report": "Fermé depuis 9 mois"}
    assert typed[name] in html
    if stored is not None:
        assert stored() == 2
