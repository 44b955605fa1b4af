"""/inscrire/lien-perdu/: emails a fresh link to the listing's own address, and answers the same to anyone."""

import re

import pytest
from django.core import mail

from moderation.models import EditToken
from producers.models import Listing
from tests.factories import ListingFactory

from .conftest import started_seconds_ago

pytestmark = pytest.mark.django_db

URL = "/inscrire/lien-perdu/"


def post(client, email):
    return client.post(URL, {"email": email, "fax_number": "", "started": started_seconds_ago()})


def test_it_emails_a_new_link_to_the_stored_address_and_the_old_one_keeps_working(
    client, angers, django_capture_on_commit_callbacks
):
    """Anyone who knows a producer's address can use this form: it must not be a way to kill their link."""
    listing = ListingFactory(email="ferme@example.org")
    old = EditToken.issue(listing)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "FERME@example.org")
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ferme@example.org"]
    new = re.search(r"/modifier/(\S+)/", mail.outbox[0].body)[1]
    assert new != old
    assert client.get(f"/modifier/{old}/").status_code == 200
    assert client.get(f"/modifier/{new}/").status_code == 200
    assert EditToken.objects.active().filter(listing=listing).count() == 2


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, angers, django_capture_on_commit_callbacks):
    ListingFactory(email="ferme@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        known = post(client, "ferme@example.org")
    assert len(mail.outbox) == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        unknown = post(client, "personne@example.org")
    assert unknown.status_code == known.status_code == 200

    def pages(response):
        # The site's chrome (templates/site/) is rendered once per language, then read from the cache.
        return [t.name for t in response.templates if "/email/" not in t.name and not t.name.startswith("site/")]

    assert pages(unknown) == pages(known)
    assert pages(unknown)[0] == "moderation/lost_link_sent.html"
    assert not mail.outbox


def test_an_erased_listing_gets_no_link(client, angers, django_capture_on_commit_callbacks):
    ListingFactory(email="ferme@example.org", status=Listing.Status.UNPUBLISHED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post(client, "ferme@example.org")
    assert not callbacks
    assert not mail.outbox


def test_the_honeypot_blocks_it(client, angers):
    ListingFactory(email="ferme@example.org")
    response = client.post(URL, {"email": "ferme@example.org", "fax_number": "x", "started": started_seconds_ago()})
    assert response.status_code == 400
    assert not mail.outbox


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Indiquez votre adresse e-mail : nous y envoyons votre lien privé."),
        ("ferme.example.org", "Indiquez une adresse e-mail de la forme nom@exemple.fr."),
    ],
)
def test_an_address_missing_or_mistyped_says_what_to_type(client, angers, email, message):
    """As on the registration form: Django's "This field is required." said nothing of what to type."""
    response = post(client, email)
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [message]
    assert not mail.outbox
