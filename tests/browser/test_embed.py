"""A partner builds the embed code on /integrer/, pastes it in a page of their own site (another origin), and their
visitors use the map and its filters inside the frame; the rest of the directory refuses to be framed."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.axe import violations
from tests.factories import CategoryFactory, CommuneFactory, DepartmentFactory, ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def maine_et_loire():
    DepartmentFactory(code="49", name="Maine-et-Loire")
    angers = CommuneFactory()
    cholet = CommuneFactory(
        insee_code="49099", name="Cholet", postal_codes="49300", population=54000, latitude=47.06, longitude=-0.879
    )
    vegetables = CategoryFactory(name="Légumes", slug="legumes")
    fruit = CategoryFactory(name="Fruits", slug="fruits")
    for i in range(3):
        ListingFactory(name=f"Jardin d'Angers {i}", commune=angers, latitude=47.47 + i / 500, categories=[vegetables])
    for i in range(2):
        ListingFactory(name=f"Verger de Cholet {i}", commune=cholet, latitude=47.06 + i / 500, categories=[fruit])


class PartnerSite:
    """A tiny web server on another origin than the directory's: the partner's page holding what they pasted."""

    def __init__(self):
        self.pages = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = pages.get(self.path, "").encode()
                self.send_response(200 if self.path in pages else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def publish(self, path, body):
        self.pages[path] = (
            f'<!DOCTYPE html><html lang="fr"><head><title>Mairie</title></head><body>{body}</body></html>'
        )
        return self.url + path


@pytest.fixture
def partner(page, live_server, settings):
    site = PartnerSite()
    # Another origin for the browser: the live server answers on localhost, the partner on 127.0.0.1.
    assert urlsplit(live_server.url).hostname != "127.0.0.1"
    page.route(f"{site.url}/**", lambda route: route.continue_())
    settings.SITE_URL = live_server.url  # the snippet's absolute address
    yield site
    site.server.shutdown()


def test_a_partner_builds_the_code_and_visitors_filter_inside_the_frame(page, live_server, maine_et_loire, partner):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + "/integrer/")
    assert violations(page) == []
    page.get_by_label("Département", exact=True).select_option("49")
    result = page.locator("[data-embed-result]")
    expect(result).to_have_attribute("data-embed-state", "ready")  # updated live, without submitting
    page.get_by_label("Hauteur (en pixels)").fill("500")
    snippet = page.locator("[data-embed-snippet]")
    expect(snippet).to_have_value(
        f'<iframe src="{live_server.url}/embed/departements/49-maine-et-loire/" '
        'title="Maine-et-Loire (49)\xa0: producteurs locaux · localdir" height="500" '
        'style="width: 100%; max-width: 100%; border: 0;" loading="lazy" '
        'allow="geolocation" referrerpolicy="strict-origin-when-cross-origin"></iframe>'
    )
    assert "height=500" in page.url  # the address bar follows: the builder's state can be shared
    # The preview is the embedded page itself.
    preview = page.frame_locator(".embed-builder__preview")
    expect(preview.locator(".embed-list__items li")).to_have_count(5)

    page.get_by_role("button", name="Copier le code").click()
    expect(page.locator("[data-embed-status]")).to_have_text("Le code est copié : collez-le dans votre page.")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == snippet.input_value()

    # The partner pastes it into their own page, on their own site, and tries the directory's home page too.
    home = f'<iframe name="home" title="Accueil" src="{live_server.url}/"></iframe>'
    page.goto(partner.publish("/producteurs.html", f"<h1>Nos producteurs</h1>{copied}{home}"))
    frame = page.frame_locator("iframe[src*='/embed/']")
    expect(frame.locator(".embed-list__items li")).to_have_count(5)
    map_box = frame.locator(".listing-map")
    expect(map_box).to_have_attribute("data-map-state", "ready")
    expect(map_box).to_have_attribute("data-marker-count", "5")
    embedded = next(f for f in page.frames if f.url.startswith(live_server.url))
    assert violations(embedded) == []

    # A visitor narrows the map and list to fruit, with the keyboard, inside the frame.
    summary = frame.locator("summary", has_text="Filtres")
    summary.focus()
    page.keyboard.press("Enter")
    frame.get_by_label("Catégorie").select_option("fruits")
    frame.get_by_role("button", name="Afficher").focus()
    page.keyboard.press("Enter")
    expect(frame.locator(".embed-list__items li")).to_have_count(2)
    expect(frame.locator(".embed-list__items")).to_contain_text("Verger de Cholet 0")
    expect(map_box).to_have_attribute("data-map-state", "ready")
    expect(map_box).to_have_attribute("data-marker-count", "2")
    assert page.url == partner.url + "/producteurs.html", "the partner's page stayed where it was"

    # The listing opens in a new tab, saying so; the frame stays.
    link = frame.get_by_role("link", name="Verger de Cholet 0 (s’ouvre dans un nouvel onglet)")
    with page.context.expect_page() as new_tab:
        link.click()
    expect(new_tab.value.locator("h1")).to_have_text("Verger de Cholet 0")
    # The home page was refused its frame, and nothing else went wrong.
    refused = [error for error in page.errors if "frame-ancestors 'none'" in error]
    assert len(refused) == 1 and refused[0].startswith(f"Framing '{live_server.url}/' violates")
    assert page.errors == refused and page.external_requests == []
    assert page.frame(name="home").locator(".site-header").count() == 0


def test_builder_and_embedded_page_fit_a_phone(page, live_server, maine_et_loire):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/integrer/?department=49")
    expect(page.locator(".embed-builder__preview")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    # What a phone shows of a partner's page: the embedded page at the frame's size.
    page.set_viewport_size({"width": 360, "height": 600})
    page.goto(live_server.url + "/embed/departements/49-maine-et-loire/")
    expect(page.locator(".listing-map")).to_have_attribute("data-map-state", "ready")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert page.locator(".listing-map").bounding_box()["height"] >= 190
    expect(page.locator(".embed-list__items li")).to_have_count(5)
    assert violations(page) == []


def test_the_maps_popups_open_the_listing_in_a_new_tab(page, live_server, maine_et_loire):
    honey = CategoryFactory(name="Miel", slug="miel")
    ListingFactory(name="Miellerie des Lices", commune=CommuneFactory(), categories=[honey])
    page.goto(live_server.url + "/embed/departements/49-maine-et-loire/?category=miel")
    map_box = page.locator(".listing-map")
    expect(map_box).to_have_attribute("data-map-state", "ready")
    page.get_by_role("button", name="Miellerie des Lices").click()
    link = page.locator(".map-popup-name a")
    expect(link).to_have_accessible_name("Miellerie des Lices (s’ouvre dans un nouvel onglet)")
    expect(link).to_have_attribute("target", "_blank")
    with page.context.expect_page() as new_tab:
        link.click()
    expect(new_tab.value.locator("h1")).to_have_text("Miellerie des Lices")


def test_a_town_and_distance_in_the_builder(page, live_server, maine_et_loire):
    page.goto(live_server.url + "/integrer/")
    department = page.get_by_label("Département", exact=True)
    expect(department).to_be_visible()
    page.get_by_label("Une commune et ses alentours").check()
    expect(department).to_be_hidden()
    page.get_by_label("Commune ou code postal").fill("Cholet")
    expect(page.locator("[data-embed-snippet]")).to_have_value(
        re.compile(r"/embed/communes/49099-cholet/\?distance=10")
    )
    page.get_by_label("Distance").select_option("")  # in this town only
    expect(page.locator("[data-embed-snippet]")).to_have_value(
        re.compile(r'/embed/communes/49099-cholet/\?distance=" ')
    )
    preview = page.frame_locator(".embed-builder__preview")
    expect(preview.locator(".embed-list__items li")).to_have_count(2)
    expect(preview.locator("h1")).to_have_text("Cholet (49)\xa0: producteurs locaux")  # the town only


def test_a_restricted_list_still_lets_the_builder_preview(page, live_server, maine_et_loire, partner, settings):
    settings.EMBED_FRAME_ANCESTORS = [partner.url]
    # The builder's preview frames the embedded page from the directory's own origin.
    page.goto(f"{live_server.url}/integrer/?area=department&department=49")
    expect(page.frame_locator("iframe.embed-builder__preview").locator(".embed-list__items li")).to_have_count(5)
    snippet = page.locator("[data-embed-snippet]").input_value()
    # The partner listed may frame it; another site may not.
    page.goto(partner.publish("/carte.html", snippet))
    expect(page.frame_locator("iframe").locator(".embed-list__items li")).to_have_count(5)
    settings.EMBED_FRAME_ANCESTORS = ["https://mairie.example.fr"]
    # The refusal is known once the browser reports it, however long the loaded machine takes to get there.
    with page.expect_console_message(lambda message: "frame-ancestors" in message.text):
        page.goto(partner.publish("/ailleurs.html", snippet))
    assert page.frame_locator("iframe").locator(".embed-list__items li").count() == 0
