"""The private edit link /modifier/<token>/: a pending listing is edited, a published one gets a revision."""

import os
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from moderation.forms import SubmissionForm
from moderation.models import EditToken, Revision
from producers.models import Listing
from tests.factories import CommuneFactory, ListingFactory

from .conftest import started_seconds_ago
from .test_photos import jpeg

pytestmark = pytest.mark.django_db


def edit_url(token):
    return f"/modifier/{token}/"


def form_data(listing, **changes):
    return {
        "name": listing.name,
        "kind": listing.kind,
        "categories": [c.slug for c in listing.categories.all()],
        "commune": listing.commune.name,
        "postal_code": listing.postal_code,
        "email": listing.email,
        "opening_hours": listing.opening_hours,
        "latitude": str(listing.latitude),
        "longitude": str(listing.longitude),
        "fax_number": "",
        "started": started_seconds_ago(),
        **changes,
    }


def test_it_opens_its_listing_prefilled(client, published):
    token = EditToken.issue(published)
    response = client.get(edit_url(token))
    assert response.status_code == 200
    assert 'value="Ferme du Lac"' in response.content.decode()
    assert 'name="robots" content="noindex"' in response.content.decode()


def test_a_pending_listing_is_edited_directly_and_stays_pending(client, angers, category):
    listing = ListingFactory(status=Listing.Status.PENDING, email="a@example.org", categories=[category])
    token = EditToken.issue(listing)
    response = client.post(edit_url(token), form_data(listing, name="Ferme du Lac Bleu"))
    assert response.status_code == 200, response.context["form"].errors
    listing.refresh_from_db()
    assert listing.name == "Ferme du Lac Bleu"
    assert listing.status == Listing.Status.PENDING
    assert not Revision.objects.exists()


def test_a_published_listing_gets_a_revision_and_stays_as_it_was(client, published):
    token = EditToken.issue(published)
    data = form_data(published, name="Ferme du Lac Bleu", image_rights="on")
    data["photo_1"] = ContentFile(jpeg(), name="nouvelle.jpg")
    response = client.post(edit_url(token), data)
    assert response.status_code == 200, response.context["form"].errors
    published.refresh_from_db()
    assert published.name == "Ferme du Lac"
    assert client.get(published.get_absolute_url()).status_code == 200
    revision = Revision.objects.get()
    assert revision.status == Revision.Status.PENDING
    assert revision.data["name"] == "Ferme du Lac Bleu"
    assert revision.photos.count() == 1
    assert not published.photos.exists()


def test_another_listings_link_does_not_open_this_one(client, published, angers):
    other = ListingFactory(name="Autre ferme", email="autre@example.org")
    token = EditToken.issue(other)
    response = client.get(edit_url(token))
    assert "Ferme du Lac" not in response.content.decode()
    client.post(edit_url(token), form_data(other, name="Piratée"))
    published.refresh_from_db()
    assert published.name == "Ferme du Lac"


@pytest.mark.parametrize("token", ["nothing", "abc:def", "x" * 80])
def test_a_forged_link_is_a_404_that_offers_the_lost_link_form(client, published, token):
    response = client.get(edit_url(token))
    assert response.status_code == 404
    page = response.content.decode()
    assert "ne permet d’ouvrir aucune fiche" in page
    assert 'action="/inscrire/lien-perdu/"' in page and 'name="email"' in page


def test_a_revoked_link_is_a_410_that_says_it_was_replaced(client, published):
    token = EditToken.issue(published)
    EditToken.revoke_all(published)
    response = client.get(edit_url(token))
    assert response.status_code == 410
    assert "a été remplacé" in response.content.decode()
    assert 'action="/inscrire/lien-perdu/"' in response.content.decode()
    assert client.post(edit_url(token), form_data(published, name="X")).status_code == 410
    published.refresh_from_db()
    assert published.name == "Ferme du Lac"


class TestAnEditSentWhileTheListingIsErased:
    """The producer erases the listing from one tab while an edit from another is still being checked (photos take
    seconds to decode): the edit must not bring the personal data back."""

    @pytest.mark.parametrize("status", [Listing.Status.PUBLISHED, Listing.Status.PENDING])
    def test_the_edit_is_refused_and_nothing_personal_comes_back(self, client, published, status, monkeypatch):
        published.status = status
        published.save()
        token = EditToken.issue(published)
        checked = SubmissionForm.is_valid

        def is_valid_then_erased(form):
            valid = checked(form)
            assert Client().post(f"/modifier/{token}/effacer/").status_code == 200
            return valid

        monkeypatch.setattr(SubmissionForm, "is_valid", is_valid_then_erased)
        data = form_data(published, name="Ferme du Lac Bleu", phone="0241000000", street_address="1 rue du Lac")
        response = client.post(edit_url(token), data)
        assert response.status_code == 410
        assert "a été effacée" in response.content.decode()
        published.refresh_from_db()
        assert published.status == Listing.Status.UNPUBLISHED
        assert (published.email, published.street_address, str(published.phone)) == ("", "", "")
        assert not Revision.objects.exists()


class TestErase:
    def test_get_only_asks_for_confirmation(self, client, published):
        token = EditToken.issue(published)
        response = client.get(f"/modifier/{token}/effacer/")
        assert response.status_code == 200
        published.refresh_from_db()
        assert published.status == Listing.Status.PUBLISHED

    def test_post_unpublishes_erases_and_revokes(self, client, published):
        published.photos.create(image=ContentFile(jpeg(), name="p.jpg"))
        published.phone = "0241000000"
        published.street_address = "1 rue du Lac"
        published.save()
        path = published.photos.get().image.path
        token = EditToken.issue(published)
        response = client.post(f"/modifier/{token}/effacer/")
        assert response.status_code == 200
        published.refresh_from_db()
        assert published.status == Listing.Status.UNPUBLISHED
        assert (published.email, published.street_address, str(published.phone)) == ("", "", "")
        assert not published.photos.exists()
        assert not os.path.exists(path)
        response = client.get(edit_url(token))
        assert response.status_code == 410
        assert "a été effacée" in response.content.decode()
        assert client.get(published.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("typed", ["Cholet", "Cholet (49)"])
def test_another_town_typed_over_the_saved_one_is_taken(client, angers, category, typed):
    """The form carries the saved town's INSEE code in a hidden field; a town typed since then wins over it."""
    cholet = CommuneFactory(
        insee_code="49099", name="Cholet", postal_codes="49300", population=54000, latitude=47.06, longitude=-0.879
    )
    listing = ListingFactory(status=Listing.Status.PENDING, email="a@example.org", categories=[category])
    token = EditToken.issue(listing)
    data = form_data(listing, commune=typed, insee_code=angers.insee_code, postal_code="49300", latitude="47.07")
    response = client.post(edit_url(token), {**data, "longitude": "-0.88"})
    assert response.status_code == 200, response.context["form"].errors
    listing.refresh_from_db()
    assert listing.commune == cholet
    assert (listing.latitude, listing.longitude) == (47.07, -0.88)


def test_the_saved_town_picked_again_from_the_suggestions_is_kept(client, angers, category):
    listing = ListingFactory(status=Listing.Status.PENDING, email="a@example.org", categories=[category])
    token = EditToken.issue(listing)
    data = form_data(listing, commune="Angers (49)", insee_code=angers.insee_code, name="Ferme renommée")
    response = client.post(edit_url(token), data)
    assert response.status_code == 200, response.context["form"].errors
    listing.refresh_from_db()
    assert (listing.name, listing.commune) == ("Ferme renommée", angers)


class _HoursInputs(HTMLParser):
    """The per-day hours inputs of a form page, as a browser would send them back untouched."""

    def __init__(self):
        super().__init__()
        self.data, self.select = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name") or ""
        if tag == "select":
            self.select = name if name.startswith("opening_hours") else None
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select] = attrs.get("value", "")
        elif tag == "input" and name.startswith("opening_hours"):
            if attrs.get("type") in ("radio", "checkbox"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value", "")


@pytest.mark.parametrize(
    "stored", ["24/7", "Mo,Tu,We 09:00-12:00", "Mo-Fr 08:00-12:00; PH closed", "Mo-Fr 09:00-18:00; Sa off"]
)
def test_hours_left_alone_are_no_change_for_the_volunteers(client, published, stored):
    """The per-day form writes hours in its own spelling: an edit of the name only keeps the producer's hours as
    they were written, and the volunteers see only the name changed."""
    from moderation.review import revision_rows

    published.opening_hours = stored
    published.save()
    token = EditToken.issue(published)
    inputs = _HoursInputs()
    inputs.feed(client.get(edit_url(token)).content.decode())
    assert inputs.data, "the page has per-day hours inputs"
    data = form_data(published, name="Ferme du Lac Bleu", **inputs.data)
    data.pop("opening_hours")
    client.post(edit_url(token), data)
    revision = Revision.objects.get()
    assert revision.data["opening_hours"] == stored
    changed = {str(row["label"]) for row in revision_rows(revision) if row["changed"]}
    assert "nom" in changed and "horaires d’ouverture" not in changed, changed
