"""A real Chromium driven by Playwright (sync API) against pytest-django's live server.

Debian's chromium is used (/usr/bin/chromium, `apt-get install chromium`), not Playwright's downloaded builds. A
missing browser fails the tests: a skipped browser test would let a broken map reach production unnoticed.
Nothing leaves the machine: the page may only talk to the live server; map tiles get a transparent image and any
other outside request is aborted and recorded (`page.external_requests`), so a CDN slipping in is caught.
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser import TIMEOUT_MS

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the ORM calls the
# tests make to set up data ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A host that cannot resolve: tile requests are answered by the route below, never by the network.
FAKE_TILES_URL = "http://tiles.invalid/{z}/{x}/{y}.png"
SCREENSHOT_DIR = Path(os.environ.get("BROWSER_SCREENSHOT_DIR", Path(tempfile.gettempdir()) / "localdir-browser"))
TRANSPARENT_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63606060600000000500017aa857500000000049454e44ae426082"
)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser tests need it. "
            "Install it with `apt-get install -y chromium` (or set CHROMIUM to its path).",
            pytrace=False,
        )
    from playwright.sync_api import Error, expect, sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Error as error:
        playwright.stop()
        pytest.fail(f"Chromium at {CHROMIUM} did not start: {error}", pytrace=False)
    expect.set_options(timeout=TIMEOUT_MS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def site_settings(settings):
    settings.MAP_TILES_URL = FAKE_TILES_URL
    settings.LEAFLET_CONFIG = {
        **settings.LEAFLET_CONFIG,
        "TILES": [("OpenStreetMap", FAKE_TILES_URL, {"attribution": settings.MAP_TILES_ATTRIBUTION, "maxZoom": 19})],
    }
    # The Content-Security-Policy names the tile server: the fake one here.
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    tiles_origin = "{0.scheme}://{0.hostname}".format(urlsplit(FAKE_TILES_URL))
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": {**directives, "img-src": [*directives["img-src"], tiles_origin]},
    }
    # With DEBUG=0 in the environment the settings pick the manifest storage, which needs collectstatic;
    # the live server serves the static files straight from the finders instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return settings


@pytest.fixture
def page(browser, live_server, site_settings):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.external_requests = []
    page.errors = []
    server = urlsplit(live_server.url).netloc

    def route(route):
        url = urlsplit(route.request.url)
        if url.netloc == server:
            # As behind the production proxy: with DEBUG=0 in the environment, SecurityMiddleware (set up once when
            # the live server starts, before any settings fixture) would otherwise redirect to https.
            route.continue_(headers={**route.request.headers, "x-forwarded-proto": "https"})
        elif url.netloc == urlsplit(FAKE_TILES_URL).netloc:
            route.fulfill(status=200, content_type="image/png", body=TRANSPARENT_PNG)
        else:
            page.external_requests.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    yield page
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """On a failure, a screenshot of the page as it was, named in the failure report."""
    report = yield
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None and not page.is_closed():
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{item.name}.png"
        try:
            page.screenshot(path=path, full_page=True)
            report.sections.append(("browser", f"screenshot: {path}\nlast URL: {page.url}"))
        except Exception as error:  # the report matters more than the picture
            report.sections.append(("browser", f"no screenshot: {error}"))
    return report
