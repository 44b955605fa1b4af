"""Who may do what: every actor against every admin and public action, in one table.

Actors: a visitor, a producer with their private link, a producer holding another listing's link, a revoked link,
a moderator, a Mag editor, staff outside any group, a superuser. A refused visitor is sent to the admin login (or
gets a 404 for a private link); refused staff get a 403. Nothing refused changes anything.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from moderation.models import Decision, EditToken
from producers.models import Listing
from tests.factories import CategoryFactory, CommuneFactory, ListingFactory, UserFactory

from .test_decisions import listing_admin_data

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "producer", "other_producer", "revoked_link", "moderator", "editor", "staff", "superuser"]
STAFF = {"moderator", "editor", "staff", "superuser"}

ALLOWED = {
    "queue": {"moderator", "superuser"},
    "review": {"moderator", "superuser"},
    "decide": {"moderator", "superuser"},
    "listing_change": {"moderator", "superuser"},
    # Saving the Listing admin is allowed to those who may change listings; publishing through it to nobody.
    "listing_status": {"moderator", "superuser"},
    "import": {"superuser"},
    "export": set(ACTORS),
    "mag_admin": {"editor", "superuser"},
    "edit_page": {"producer"},
    "erase": {"producer"},
}


class World:
    """A published listing with its producer's link, a pending one, and another producer's listing."""

    def __init__(self, client, actor):
        self.client = client
        self.actor = actor
        category = CategoryFactory(slug="legumes")
        commune = CommuneFactory()
        self.listing = ListingFactory(name="Ferme Publiée", email="p@example.org", commune=commune)
        self.pending = ListingFactory(
            name="Ferme En Attente", status=Listing.Status.PENDING, commune=commune, categories=[category]
        )
        self.other = ListingFactory(name="Ferme Voisine", commune=commune)
        revoked = EditToken.issue(self.listing)
        own = EditToken.renew(self.listing)  # the producer's "new link": the first one stops working
        self.token = {
            "producer": own,
            "other_producer": EditToken.issue(self.other),
            "revoked_link": revoked,
        }.get(actor, "aucun-lien")
        user = None
        if actor == "moderator":
            user = UserFactory(username="alice", is_staff=True)
            user.groups.add(Group.objects.get(name="Modérateurs"))
        elif actor == "editor":
            user = UserFactory(username="redaction", is_staff=True)
            user.groups.add(Group.objects.get(name="Rédaction"))
        elif actor == "staff":
            user = UserFactory(username="benevole", is_staff=True)
        elif actor == "superuser":
            user = UserFactory(username="root", is_staff=True, is_superuser=True)
        if user is not None:
            client.force_login(user)

    @property
    def dead_link_status(self):
        # A link the producer replaced is gone (410); a made-up one was never there (404).
        return 410 if self.actor == "revoked_link" else 404

    def assert_refused(self, response):
        if self.actor in STAFF:
            assert response.status_code == 403
        else:
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("admin:login"))


def act_queue(world, allowed):
    response = world.client.get(reverse("admin:moderation_queue"))
    if allowed:
        assert response.status_code == 200 and "Ferme En Attente" in response.content.decode()
    else:
        world.assert_refused(response)


def act_review(world, allowed):
    response = world.client.get(reverse("admin:moderation_review", args=["listing", world.pending.pk]))
    if allowed:
        assert response.status_code == 200 and "Ferme En Attente" in response.content.decode()
    else:
        world.assert_refused(response)


def act_decide(world, allowed):
    url = reverse("admin:moderation_decide", args=["listing", world.pending.pk])
    response = world.client.post(url, {"action": "approve"})
    world.pending.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert world.pending.status == Listing.Status.PUBLISHED
        assert Decision.objects.get().target == world.pending
    else:
        world.assert_refused(response)
        assert world.pending.status == Listing.Status.PENDING
        assert not Decision.objects.exists()


def act_listing_change(world, allowed):
    response = world.client.get(reverse("admin:producers_listing_change", args=[world.listing.pk]))
    if allowed:
        assert response.status_code == 200 and 'name="name"' in response.content.decode()
    else:
        world.assert_refused(response)


def act_listing_status(world, allowed):
    url = reverse("admin:producers_listing_change", args=[world.pending.pk])
    response = world.client.post(url, listing_admin_data(world.pending, status="published", name="Renommée"))
    world.pending.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert world.pending.name == "Renommée"
    else:
        world.assert_refused(response)
        assert world.pending.name == "Ferme En Attente"
    # Whoever it is, the admin form does not publish.
    assert world.pending.status == Listing.Status.PENDING
    assert not Decision.objects.exists()


def act_import(world, allowed):
    url = reverse("admin:producers_listing_import")
    text = "name,kind,categories,commune,insee_code,postal_code\r\nFerme Importée,producer,legumes,Angers,,49000\r\n"
    response = world.client.post(url, {"step": "preview", "file": SimpleUploadedFile("l.csv", text.encode())})
    if allowed:
        assert response.status_code == 200
        assert world.client.post(url, {"step": "confirm"}).status_code == 302
        assert Listing.objects.filter(name="Ferme Importée", status=Listing.Status.PENDING).exists()
    else:
        world.assert_refused(response)
        world.assert_refused(world.client.post(url, {"step": "confirm"}))
        assert not Listing.objects.filter(name="Ferme Importée").exists()


def act_export(world, allowed):
    response = world.client.get(reverse("producers:france_export", kwargs={"fmt": "csv"}))
    body = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert response.status_code == 200
    assert "Ferme Publiée" in body and "Ferme En Attente" not in body


def act_mag_admin(world, allowed):
    response = world.client.get(reverse("admin:magazine_article_changelist"))
    if allowed:
        assert response.status_code == 200
    else:
        world.assert_refused(response)


def act_edit_page(world, allowed):
    response = world.client.get(f"/modifier/{world.token}/")
    if allowed:
        assert response.status_code == 200 and "Ferme Publiée" in response.content.decode()
    elif world.actor == "other_producer":
        # Their link opens their own listing, and nothing leads from it to ours.
        assert response.status_code == 200
        page = response.content.decode()
        assert "Ferme Voisine" in page and "Ferme Publiée" not in page
    else:
        assert response.status_code == world.dead_link_status


def act_erase(world, allowed):
    response = world.client.post(f"/modifier/{world.token}/effacer/")
    world.listing.refresh_from_db()
    if allowed:
        assert response.status_code == 200
        assert world.listing.status == Listing.Status.UNPUBLISHED and world.listing.email == ""
    else:
        assert world.listing.status == Listing.Status.PUBLISHED and world.listing.email == "p@example.org"
        if world.actor != "other_producer":
            assert response.status_code == world.dead_link_status


@pytest.mark.parametrize("action", list(ALLOWED))
@pytest.mark.parametrize("actor", ACTORS)
def test_permission_matrix(client, actor, action):
    world = World(client, actor)
    globals()[f"act_{action}"](world, actor in ALLOWED[action])


def test_a_coordinator_sets_no_password_and_never_reaches_a_superuser(client):
    moderators, coordinators = Group.objects.get(name="Modérateurs"), Group.objects.get(name="Coordinateurs")
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    boss.groups.add(moderators)
    alice = UserFactory(username="alice", is_staff=True)
    alice.groups.add(moderators)
    coordinator = UserFactory(username="coord", is_staff=True)
    coordinator.groups.add(moderators, coordinators)
    new_password = {
        "usable_password": "true",
        "password1": "pris-par-le-coordinateur",
        "password2": "pris-par-le-coordinateur",
    }

    client.force_login(coordinator)
    for user in (boss, alice):
        url = reverse("admin:auth_user_password_change", args=[user.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, new_password).status_code == 403
        user.refresh_from_db()
        assert not user.check_password("pris-par-le-coordinateur")
    page = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "alice" in page and "boss" not in page
    assert client.get(reverse("admin:auth_user_change", args=[boss.pk])).status_code == 302  # "does not exist"

    # A superuser still sets a volunteer's password.
    client.force_login(boss)
    response = client.post(reverse("admin:auth_user_password_change", args=[alice.pk]), new_password)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("pris-par-le-coordinateur")
