"""Two volunteers in two browsers open the same new listing: one asks the producer for changes, the other, still
on the page, clicks "approve". Nothing is published and the second volunteer is told. (A double click is
tests/moderation/test_decision_conflicts.py's: Chromium sends a form once however fast it is clicked twice.)"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from moderation.models import Decision
from producers.models import Listing
from tests.browser import TIMEOUT_MS
from tests.factories import CategoryFactory, CommuneFactory, ListingFactory, UserFactory

from .test_submission import PASSWORD, volunteer  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def two_volunteers(browser, live_server, site_settings, volunteer):  # noqa: F811
    dominique = UserFactory(username="dominique", is_staff=True)
    dominique.groups.add(Group.objects.get(name="Modérateurs"))
    pages = []
    for user in (volunteer, dominique):
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.route(
            "**/*", lambda route: route.continue_(headers={**route.request.headers, "x-forwarded-proto": "https"})
        )
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        pages.append(page)
    yield pages
    for page in pages:
        page.context.close()


@pytest.fixture
def pending(db):
    return ListingFactory(name="Ferme du Vallon", status=Listing.Status.PENDING, commune=CommuneFactory())


def test_the_second_volunteer_is_told_and_nothing_is_published(live_server, two_volunteers, pending):
    camille, dominique = two_volunteers
    url = live_server.url + reverse("admin:moderation_review", args=["listing", pending.pk])
    camille.goto(url)
    dominique.goto(url)

    camille.get_by_label("Message au producteur").fill("Ajoutez vos jours d’ouverture, s’il vous plaît.")
    with camille.expect_navigation():
        camille.get_by_role("button", name="Demander des modifications").click()
    expect(camille.locator(".messagelist")).to_contain_text("Décision enregistrée")

    with dominique.expect_navigation():
        dominique.get_by_role("button", name="Accepter et publier").click()
    expect(dominique.locator(".messagelist")).to_contain_text("autre bénévole a déjà statué")
    # The page now shows the first decision in its history.
    expect(dominique.locator("#content")).to_contain_text("Ajoutez vos jours d’ouverture")
    pending.refresh_from_db()
    assert pending.status == Listing.Status.PENDING
    assert list(Decision.objects.values_list("moderator_name", "action")) == [("camille", "request_changes")]


def test_two_volunteers_editing_one_listing_the_second_is_told_what_changed(live_server, two_volunteers):
    camille, dominique = two_volunteers
    listing = ListingFactory(
        name="Ferme du Vallon", short_description="Légumes", commune=CommuneFactory(), categories=[CategoryFactory()]
    )
    url = live_server.url + reverse("admin:producers_listing_change", args=[listing.pk])
    camille.goto(url)
    dominique.goto(url)

    camille.fill("#id_short_description", "Légumes et œufs")
    with camille.expect_navigation():
        camille.locator('input[name="_continue"]').click()
    expect(camille.locator(".messagelist")).to_contain_text("modifié avec succès")

    # Dominique's page was opened before Camille saved: they correct the phone number.
    dominique.fill("#id_phone", "02 41 00 00 01")
    with dominique.expect_navigation():
        dominique.locator('input[name="_continue"]').click()
    expect(dominique.locator(".field-short_description .errorlist")).to_contain_text("« Légumes et œufs »")
    expect(dominique.locator("#id_phone")).to_have_value("02 41 00 00 01")
    listing.refresh_from_db()
    assert (listing.short_description, listing.phone) == ("Légumes et œufs", "")

    # They take Camille's words into the box and save the page as it now is: both changes are kept.
    dominique.fill("#id_short_description", "Légumes et œufs")
    with dominique.expect_navigation():
        dominique.locator('input[name="_continue"]').click()
    expect(dominique.locator(".messagelist")).to_contain_text("modifié avec succès")
    listing.refresh_from_db()
    assert (listing.short_description, listing.phone) == ("Légumes et œufs", "+33241000001")
