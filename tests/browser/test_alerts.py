"""Following a town's news by email on a 390 px phone, without and with JavaScript: the small form under the list,
the page that sends it, the emailed link and its button."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from alerts.models import Subscription
from tests.browser import TIMEOUT_MS
from tests.browser.axe import violations
from tests.factories import CommuneFactory, ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def chalonnes(db):
    town = CommuneFactory(
        insee_code="49069", name="Chalonnes-sur-Loire", postal_codes="49290", latitude=47.3517, longitude=-0.7589
    )
    ListingFactory(name="Ferme de la Corniche", commune=town)
    return town


@pytest.fixture
def phone_without_javascript(browser, live_server, site_settings):
    context = browser.new_context(locale="fr-FR", viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_(headers={**route.request.headers, "x-forwarded-proto": "https"})
            if urlsplit(route.request.url).netloc == urlsplit(live_server.url).netloc
            else route.abort()
        ),
    )
    yield page
    context.close()


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"


def accessible(page, selector=None):
    """axe-core (WCAG 2.1 AA) finds nothing: the box on the town page, the subscription and confirmation pages."""
    assert violations(page, selector) == []


def subscribe_from_the_town_page(page, live_server, town, check=lambda page, selector=None: None):
    page.goto(live_server.url + town.get_absolute_url())
    box = page.locator(".follow-box")
    check(page, ".follow-box")
    expect(box.get_by_role("heading", level=2)).to_have_text("Suivre les nouveautés d’ici")
    expect(box.get_by_role("link", name="Flux RSS")).to_have_attribute(
        "href", "/communes/49069-chalonnes-sur-loire/nouveautes.rss"
    )
    field = box.get_by_label("Ou recevez un e-mail par semaine, seulement quand il y a du nouveau :")
    field.fill("lea@example.org")
    button = box.get_by_role("button", name="M’abonner")
    assert button.bounding_box()["x"] + button.bounding_box()["width"] <= PHONE["width"]
    fits(page)
    button.click()

    # One more click, on a page of its own, sends it (the cached town page carries no CSRF token).
    expect(page.get_by_role("heading", level=1)).to_have_text("Alertes par e-mail")
    expect(page.locator("main")).to_contain_text("Nouveaux producteurs près de Chalonnes-sur-Loire")
    expect(page.get_by_label("Votre adresse e-mail")).to_have_value("lea@example.org")
    assert not Subscription.objects.exists()
    fits(page)
    check(page)
    page.get_by_role("button", name="M’envoyer le lien de confirmation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")
    fits(page)

    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None and subscription.commune == town
    link = re.search(r"https?://\S+/alertes/confirmer/\S+/", mail.outbox[-1].body)[0]
    page.goto(live_server.url + urlsplit(link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre alerte par e-mail")
    fits(page)
    check(page)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None  # opening the link, as a mail scanner does, changed nothing
    page.get_by_role("button", name="Oui, envoyez-moi ces e-mails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre alerte par e-mail est activée")
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    return subscription


def test_subscribing_without_javascript(phone_without_javascript, live_server, chalonnes):
    subscribe_from_the_town_page(phone_without_javascript, live_server, chalonnes)


def test_subscribing_then_unsubscribing_with_javascript(page, live_server, chalonnes):
    page.set_viewport_size(PHONE)
    subscription = subscribe_from_the_town_page(page, live_server, chalonnes, check=accessible)
    page.goto(live_server.url + f"/alertes/desinscrire/{subscription.token}/")
    page.get_by_role("button", name="Me désinscrire et effacer mon adresse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes désinscrit")
    assert not Subscription.objects.exists()
    assert not page.external_requests and not page.errors
