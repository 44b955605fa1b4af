"""The review page reads like the listing, marks resubmissions, keeps approving apart from refusing, and asks
before a rejection; the admin carries the site's name and the sidebar points at the item's queue."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from moderation.models import Decision, EditToken, ErrorReport, Revision
from producers.models import Listing, ListingDelivery
from tests.factories import CategoryFactory, ListingFactory, delivery_mode

from .test_edit_link import form_data
from .test_photos import jpeg

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:moderation_queue")


def review_url(kind, pk):
    return reverse("admin:moderation_review", args=[kind, pk])


def decide_url(kind, pk):
    return reverse("admin:moderation_decide", args=[kind, pk])


def forms_of(page):
    return re.findall(r"<form .*?</form>", page, flags=re.S)


@pytest.fixture
def pending(angers):
    listing = ListingFactory(
        name="Ferme des Prés",
        status=Listing.Status.PENDING,
        email="pres@example.org",
        phone="+33241000000",
        website="https://ferme-des-pres.example.org",
        other_links="https://www.example.org/marche\njavascript:alert(1)",
        opening_hours="Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:00-12:00",
        categories=[CategoryFactory(name="Légumes", slug="legumes")],
    )
    ListingDelivery.objects.create(listing=listing, mode=delivery_mode("on-site"), details="le samedi")
    return listing


class TestItReadsLikeTheListing:
    def test_values_in_plain_french(self, moderator_client, pending):
        page = moderator_client.get(review_url("listing", pending.pk)).content.decode()
        assert "Du lundi au vendredi : 9 h – 12 h et 14 h – 18 h 30" in page
        assert "Samedi : 9 h – 12 h" in page
        details = re.search(r"<details>.*?</details>", page, flags=re.S)[0]
        assert "Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:00-12:00" in details
        assert "02 41 00 00 00" in page and "+33241000000" not in page
        assert re.search(r"<td>\s*Non\s*</td>", page)  # the email is not public
        assert "Légumes" in page and "Vente sur place : le samedi" in page

    def test_web_addresses_are_links_and_nothing_else_is(self, moderator_client, pending):
        page = moderator_client.get(review_url("listing", pending.pk)).content.decode()
        assert '<a href="https://ferme-des-pres.example.org" rel="noopener noreferrer nofollow">' in page
        assert '<a href="https://www.example.org/marche"' in page
        assert "javascript:alert(1)" in page and 'href="javascript:' not in page

    def test_a_revision_shows_both_sides_the_same_way(self, client, moderator_client, angers, category):
        listing = ListingFactory(name="Ferme du Lac", email="lac@example.org", categories=[category])
        token = EditToken.issue(listing)
        client.post(f"/modifier/{token}/", form_data(listing, phone="0241000000", opening_hours="Sa 08:00-12:00"))
        page = moderator_client.get(review_url("revision", Revision.objects.get().pk)).content.decode()
        assert "Du lundi au vendredi : 9 h – 12 h et 14 h – 18 h 30" in page  # live
        assert "Samedi : 8 h – 12 h" in page  # proposed
        assert "02 41 00 00 00" in page


class TestResubmissions:
    def test_a_listing_edited_after_a_request_for_changes_is_marked_and_sorted_by_that_edit(
        self, client, moderator_client, angers, category
    ):
        first = ListingFactory(
            name="Ferme Ancienne", status=Listing.Status.PENDING, email="a@example.org", categories=[category]
        )
        ListingFactory(name="Ferme Récente", status=Listing.Status.PENDING)
        moderator_client.post(
            decide_url("listing", first.pk), {"action": "request_changes", "reason": "Ajoutez une photo."}
        )
        assert "renvoyée" not in moderator_client.get(QUEUE).content.decode()  # not edited yet

        token = EditToken.issue(first)
        response = client.post(f"/modifier/{token}/", form_data(first, description="Avec photo"))
        assert response.status_code == 200
        first.refresh_from_db()
        assert first.description == "Avec photo"

        queue = moderator_client.get(QUEUE).content.decode()
        assert queue.index("Ferme Récente") < queue.index("Ferme Ancienne")
        assert re.search(r"Ferme Ancienne</a>\s*<strong[^>]*>renvoyée</strong>", queue)
        page = moderator_client.get(review_url("listing", first.pk)).content.decode()
        assert "Renvoyée après une demande de modifications" in page and "Ajoutez une photo." in page

    def test_a_new_listing_is_not_marked(self, moderator_client, pending):
        page = moderator_client.get(review_url("listing", pending.pk)).content.decode()
        assert pending.name in page
        assert "Renvoyée après" not in page

    def test_an_edit_answering_a_request_for_changes_is_marked(self, client, moderator_client, angers, category):
        listing = ListingFactory(name="Ferme du Lac", email="lac@example.org", categories=[category])
        token = EditToken.issue(listing)
        client.post(f"/modifier/{token}/", form_data(listing, name="Ferme du Lac Bleu"))
        first = Revision.objects.get()
        moderator_client.post(decide_url("revision", first.pk), {"action": "request_changes", "reason": "Le nom ?"})
        token = EditToken.issue(listing)
        client.post(f"/modifier/{token}/", form_data(listing, name="Ferme du Lac d’Azur"))
        second = Revision.objects.pending().get()
        queue = moderator_client.get(QUEUE).content.decode()
        assert re.search(r"Ferme du Lac</a>\s*<strong[^>]*>renvoyée</strong>", queue)
        page = moderator_client.get(review_url("revision", second.pk)).content.decode()
        assert "Renvoyée après une demande de modifications" in page and "Le nom ?" in page


class TestDecisionButtons:
    def test_approve_is_a_form_of_its_own(self, moderator_client, pending):
        forms = forms_of(moderator_client.get(review_url("listing", pending.pk)).content.decode())
        approve = [form for form in forms if 'value="approve"' in form]
        refuse = [form for form in forms if 'value="reject"' in form]
        assert len(approve) == 1 and len(refuse) == 1 and approve != refuse
        assert 'value="reject"' not in approve[0] and 'value="request_changes"' in refuse[0]
        assert (
            '<button type="submit" name="action" value="approve" class="default">Accepter et publier</button>'
            in (approve[0])
        )

    def test_reject_asks_for_confirmation_first(self, moderator_client, pending):
        data = {"action": "reject", "reason": "Hors sujet."}
        response = moderator_client.post(decide_url("listing", pending.pk), data)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Hors sujet." in page and "Oui, refuser" in page
        pending.refresh_from_db()
        assert pending.status == Listing.Status.PENDING and not Decision.objects.exists()

        confirm = forms_of(page)[-1]
        data = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', confirm))
        assert data["confirmed"] == "yes" and data["reason"] == "Hors sujet."
        assert moderator_client.post(decide_url("listing", pending.pk), data).status_code == 302
        pending.refresh_from_db()
        assert pending.status == Listing.Status.REJECTED
        assert Decision.objects.get().reason == "Hors sujet."

    def test_reject_without_a_message_goes_nowhere_and_says_so_next_to_the_box(self, moderator_client, pending):
        response = moderator_client.post(decide_url("listing", pending.pk), {"action": "reject", "reason": "  "})
        assert response.status_code == 200
        page = response.content.decode()
        assert re.search(r'<ul class="errorlist"[^>]*><li>Écrivez quelques mots au producteur', page)
        pending.refresh_from_db()
        assert pending.status == Listing.Status.PENDING and not Decision.objects.exists()

    def test_a_message_too_long_is_given_back_to_be_shortened(self, moderator_client, pending):
        message = "Merci de préciser vos horaires. " * 70
        data = {"action": "request_changes", "reason": message}
        page = moderator_client.post(decide_url("listing", pending.pk), data).content.decode()
        assert "2000 caractères" in page
        assert message.strip() in page
        assert not Decision.objects.exists()


class TestTheAdminFrame:
    def test_it_carries_the_site_name(self, moderator_client, settings):
        page = moderator_client.get(reverse("admin:index")).content.decode()
        assert "localdir — espace bénévoles" in page
        assert "Administration de Django" not in page and "Site d’administration de Django" not in page

    @pytest.mark.parametrize(
        "kind, changelist",
        [
            ("listing", "admin:moderation_pendinglisting_changelist"),
            ("revision", "admin:moderation_revision_changelist"),
            ("report", "admin:moderation_errorreport_changelist"),
        ],
    )
    def test_the_sidebar_highlights_the_items_queue(self, moderator_client, pending, category, kind, changelist):
        if kind == "listing":
            pk = pending.pk
        elif kind == "revision":
            listing = ListingFactory(categories=[category])
            pk = Revision.objects.create(listing=listing, data={}).pk
        else:
            pk = ErrorReport.objects.create(listing=ListingFactory(), kind="other", message="x").pk
        page = moderator_client.get(review_url(kind, pk)).content.decode()
        current = re.findall(r'<a href="([^"]+)" aria-current="page">', page)
        assert current == [reverse(changelist)]


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:moderation_pendinglisting_changelist",
        "admin:moderation_revision_changelist",
        "admin:moderation_errorreport_changelist",
        "admin:moderation_stalelisting_changelist",
    ],
)
@pytest.mark.parametrize("object_id", ["abc", "queue/listing/12", "١٢"])
def test_an_item_s_address_cut_or_mistyped_is_not_found(moderator_client, changelist, object_id):
    # A volunteer's link cut short, or the queue's address pasted after a queue's: the admin reads anything as an id.
    response = moderator_client.get(f"{reverse(changelist)}{object_id}/change/")
    assert response.status_code == 404


def test_an_item_s_address_in_the_admin_leads_to_its_review_page(moderator_client, pending):
    response = moderator_client.get(reverse("admin:moderation_pendinglisting_change", args=[pending.pk]))
    assert response.status_code == 302 and response["Location"] == review_url("listing", pending.pk)


def test_each_photo_s_link_is_named(client, moderator_client, submission):
    """A photo is a link to its full size: with an empty alt, a screen reader read a link with no name."""
    data = {**submission, "image_rights": "on"}
    for n in (1, 2):
        data[f"photo_{n}"] = SimpleUploadedFile(f"p{n}.jpg", jpeg(color=(n * 60, 0, 0)), "image/jpeg")
    assert client.post("/inscrire/", data).status_code == 302
    listing = Listing.objects.get()
    page = moderator_client.get(review_url("listing", listing.pk)).content.decode()
    links = re.findall(r'<a href="[^"]*/media/[^"]*">(.*?)</a>', page, flags=re.S)
    assert [re.search(r'alt="([^"]*)"', link)[1] for link in links] == ["Photo 1", "Photo 2"]
