"""A button's address behind a private link that opens nothing (forged, cut short, replaced): the page says the link
does not work and how to get a new one, not what the button's page would have said ("use the button on this page",
on a page without that button)."""

import pytest
from django.core import mail
from django.urls import reverse

from moderation.models import EditToken
from producers.models import Closure, Listing
from tests.factories import ListingFactory

from .test_edit_link import edit_url

pytestmark = pytest.mark.django_db

FORGED = "pas-un-vrai-lien:abcdef"
NO_LINK_SENT = "Aucun nouveau lien n’a été envoyé"
NOTHING_REMOVED = "Rien n’a été supprimé"
UNKNOWN = "Ce lien ne permet d’ouvrir aucune fiche"
HOW_TO_ASK = "Recevoir à nouveau mon lien privé"


@pytest.fixture
def listing(angers, category):
    return ListingFactory(
        status=Listing.Status.PENDING, name="Ferme du Lac", email="lac@example.org", categories=[category]
    )


def renew_url(token):
    return reverse("moderation:renew_link", args=[token])


def test_the_new_link_address_of_a_forged_link_opened_as_a_page_says_the_link_is_unknown(client):
    response = client.get(renew_url(FORGED), follow=True)
    assert response.status_code == 404
    page = response.content.decode()
    assert UNKNOWN in page
    assert "ne fonctionne plus" in page  # says it may be a link that no longer works, not only a miscopied one
    assert HOW_TO_ASK in page and 'action="/inscrire/lien-perdu/"' in page
    # It said "use the button under “A new private link” on this page", on a page without that button.
    assert NO_LINK_SENT not in page
    assert "Un nouveau lien privé" not in page
    # Nor is that message left waiting for the next page.
    assert NO_LINK_SENT not in client.get("/inscrire/lien-perdu/").content.decode()


def test_the_new_link_address_of_a_replaced_link_opened_as_a_page_says_it_was_replaced(client, listing):
    token = EditToken.issue(listing)
    EditToken.revoke_all(listing)
    response = client.get(renew_url(token), follow=True)
    assert response.status_code == 410
    page = response.content.decode()
    assert "Ce lien a été remplacé" in page and HOW_TO_ASK in page
    assert NO_LINK_SENT not in page


def test_a_forged_link_sent_by_the_new_link_button_says_the_link_is_unknown_and_sends_nothing(client):
    response = client.post(renew_url(FORGED))
    assert response.status_code == 404
    page = response.content.decode()
    assert UNKNOWN in page and HOW_TO_ASK in page
    assert not mail.outbox


def test_the_remove_closure_address_of_a_forged_link_opened_as_a_page_says_the_link_is_unknown(client, listing):
    closure = Closure.objects.create(listing=listing, starts_on="2026-08-01", ends_on="2026-08-15")
    response = client.get(f"/modifier/{FORGED}/fermetures/{closure.pk}/supprimer/", follow=True)
    assert response.status_code == 404
    page = response.content.decode()
    assert UNKNOWN in page and NOTHING_REMOVED not in page
    assert Closure.objects.filter(pk=closure.pk).exists()


def test_a_working_link_still_leads_from_the_address_to_the_button(client, listing):
    token = EditToken.issue(listing)
    response = client.get(renew_url(token), follow=True)
    assert response.redirect_chain == [(edit_url(token), 303)]
    assert NO_LINK_SENT in response.content.decode()
    assert not mail.outbox
