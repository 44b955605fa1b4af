"""Save clicked twice on the private edit page of a phone, the second click before the first answer came back: the
producer is told their changes are saved, as for one click, and they are stored once. The second request used to
answer "changed in another tab", the first one's save having moved the page's version.

Chromium sends a form once when both clicks come before it has sent the first request (Playwright's dblclick); a
person's double click on a slow connection lets the first request leave. The test holds the first answer until the
second request is sent, as such a connection would."""

import threading

import pytest
from django.core.handlers.wsgi import WSGIHandler
from playwright.sync_api import expect

from moderation.models import EditToken, ProducerEdits
from producers.models import Listing
from tests.factories import CategoryFactory, CommuneFactory, ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def slow_first_answer(monkeypatch):
    """Holds the answer to the first form sent until a second one has been answered (or 10 s). Requests are handled
    one at a time: the live server's threads share one SQLite connection."""
    released, one_at_a_time, posts = threading.Event(), threading.Lock(), []
    handle = WSGIHandler.__call__

    def held(self, environ, start_response):
        with one_at_a_time:
            response = handle(self, environ, start_response)
        if environ["REQUEST_METHOD"] == "POST":
            posts.append(response.status_code)
            if len(posts) == 1:
                released.wait(10)
            else:
                # Released only once the second answer is ready: released by the test after the browser sent the
                # second request, the first answer could come back before the server had it (seen under load).
                released.set()
        return response

    monkeypatch.setattr(WSGIHandler, "__call__", held)
    released.posts = posts
    return released


def test_save_clicked_twice_says_saved_and_saves_once(page, live_server, site_settings, slow_first_answer):
    site_settings.MODERATION_MIN_FILL_SECONDS = 0  # the script fills the form faster than the spam timer allows
    CommuneFactory()
    listing = ListingFactory(
        status=Listing.Status.PENDING,
        name="Ferme du Lac",
        email="lac@example.org",
        categories=[CategoryFactory(name="Légumes", slug="legumes")],
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/modifier/{EditToken.issue(listing)}/")
    page.fill("#id_short_description", "Œufs et légumes du lac")
    save = page.get_by_role("button", name="Enregistrer mes modifications")
    save.scroll_into_view_if_needed()
    box = save.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # The mouse itself: a locator's click would wait for the first click's page to arrive.
    with page.expect_request(lambda request: request.method == "POST"):
        page.mouse.click(x, y)
    with page.expect_request(lambda request: request.method == "POST"):
        page.mouse.click(x, y)

    expect(page.get_by_role("heading", name="Vos modifications sont enregistrées")).to_be_visible()
    expect(page.get_by_text("modifiée dans un autre onglet")).to_have_count(0)
    assert slow_first_answer.posts == [200, 200]  # both clicks reached the server
    listing.refresh_from_db()
    assert listing.short_description == "Œufs et légumes du lac"
    assert ProducerEdits.objects.get(listing=listing).count == 1
    assert page.errors == []
