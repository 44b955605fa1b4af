"""The spam timer refuses a form sent within seconds of its page opening, or from a page open for more than a day. A
person's browser can fill a form in at once, and a person can leave a tab open overnight: the four public forms
(registration, private-link edit, lost link, error report) then come back as typed, saying why at the top, with a new
timer, and nothing stored. Only the honeypot, a box no person sees, gets the refusal page."""

import re
from dataclasses import dataclass, field

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from moderation.models import FORM_TOKEN_SALT, EditToken, ErrorReport, Revision
from producers.models import Listing
from tests.factories import ListingFactory

from .conftest import signed_long_ago, started_long_ago, started_seconds_ago
from .test_edit_link import form_data
from .test_photos import jpeg

pytestmark = pytest.mark.django_db

TOO_FAST = "Nous n’avons pas pu enregistrer ce formulaire : il a été envoyé trop vite après l’ouverture de la page."
TOO_OLD = "Nous n’avons pas pu enregistrer ce formulaire : la page était ouverte depuis trop longtemps."
# Sent again, a page carries these back as it received them (the timer, the registration's one-time token, the edit's
# versions, the photos kept).
HIDDEN = ("started", "once", "seen", "version", "kept_photos")


@dataclass
class Journey:
    url: str
    data: dict
    # What the user typed, as the page must show it again.
    typed: list
    stored: callable
    # The page's hidden values, read from its form as a browser would send them.
    hidden: dict = field(default_factory=dict)


def hidden_values(html):
    return dict(re.findall(rf'name="({"|".join(HIDDEN)})" value="([^"]*)"', html))


@pytest.fixture(params=["submit", "edit", "lost_link", "report"])
def journey(request, client, submission, category):
    if request.param == "submit":
        data = {k: v for k, v in submission.items() if k != "started"}
        return Journey(
            "/inscrire/",
            data,
            ['value="Ferme des Trois Chênes"', 'value="ferme@example.org"', "Maraîchage sur sol vivant."],
            lambda: Listing.objects.count(),
            hidden_values(client.get("/inscrire/").content.decode()),
        )
    if request.param == "edit":
        listing = ListingFactory(name="Ferme du Lac", email="lac@example.org", categories=[category])
        url = f"/modifier/{EditToken.issue(listing)}/"
        data = form_data(listing, name="Ferme du Lac Bleu", description="Nouvelle serre de tomates.")
        del data["started"]
        return Journey(
            url,
            data,
            ['value="Ferme du Lac Bleu"', "Nouvelle serre de tomates."],
            lambda: Revision.objects.count(),
            hidden_values(client.get(url).content.decode()),
        )
    if request.param == "lost_link":
        ListingFactory(email="ferme@example.org")
        return Journey(
            "/inscrire/lien-perdu/",
            {"email": "ferme@example.org"},
            ['value="ferme@example.org"'],
            lambda: len(mail.outbox),
        )
    listing = ListingFactory()
    return Journey(
        f"/activites/{listing.slug}/signaler/",
        {"kind": "closed", "message": "Fermé depuis un an.", "email": "client@example.org"},
        ["Fermé depuis un an.", 'value="client@example.org"', 'value="closed" required id="id_kind_0" checked'],
        lambda: ErrorReport.objects.count(),
    )


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    def send(journey, started, **extra):
        # Emails go once the transaction commits.
        with django_capture_on_commit_callbacks(execute=True):
            hidden = {**journey.hidden, "started": started}
            return client.post(journey.url, {**journey.data, "fax_number": "", **hidden, **extra})

    return send


def summary_items(html):
    summary = re.search(r"data-error-summary.*?</div>", html, re.S)[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary, re.S)]


def came_back(response, journey, message):
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert "moderation/blocked.html" not in [t.name for t in response.templates]
    assert summary_items(html)[0].startswith(message), summary_items(html)
    assert "Vérifiez-le et envoyez-le à nouveau." in summary_items(html)[0]
    for typed in journey.typed:
        assert typed in html
    assert journey.stored() == 0
    return html


@pytest.mark.parametrize(
    ("timer", "message"),
    [
        (lambda: started_seconds_ago(1), TOO_FAST),
        (started_long_ago, TOO_OLD),
        (lambda: "1:forged", TOO_OLD),
        (lambda: "", TOO_OLD),
    ],
    ids=["too-fast", "a-day-old", "forged", "missing"],
)
def test_a_form_the_timer_refuses_comes_back_as_typed_and_goes_once_sent_again(
    journey, send, fill_clock, timer, message
):
    sent_timer = timer()
    html = came_back(send(journey, sent_timer), journey, message)
    page = hidden_values(html)
    assert page["started"] != sent_timer

    # Checked and sent again straight away: still too fast for the page's new timer.
    came_back(send(journey, page["started"], **{k: v for k, v in page.items() if k != "started"}), journey, TOO_FAST)

    fill_clock.wait(5)
    again = send(journey, page["started"], **{k: v for k, v in page.items() if k != "started"})
    assert again.status_code in (200, 302)
    assert "data-error-summary" not in again.content.decode()
    assert journey.stored() == 1


def test_the_honeypot_still_gets_the_refusal_page(journey, send):
    response = send(journey, started_seconds_ago(), fax_number="0102030405")
    assert response.status_code == 400
    assert "moderation/blocked.html" in [t.name for t in response.templates]
    assert journey.stored() == 0


def test_a_form_both_too_fast_and_mistaken_says_both_the_timer_first(client, submission):
    response = client.post("/inscrire/", {**submission, "email": "pas-une-adresse", "started": started_seconds_ago(0)})
    items = summary_items(response.content.decode())
    assert items[0].startswith(TOO_FAST)
    assert "Saisissez une adresse de courriel valide." in items
    assert not Listing.objects.exists()


def test_a_registration_sent_too_fast_keeps_its_photo_and_a_double_click_later_stores_one_listing(
    client, submission, fill_clock, django_capture_on_commit_callbacks
):
    once = hidden_values(client.get("/inscrire/").content.decode())["once"]
    photo = SimpleUploadedFile("etal.jpg", jpeg((800, 600)), "image/jpeg")
    data = {**submission, "once": once, "image_rights": "on"}
    response = client.post("/inscrire/", {**data, "photo_1": photo, "started": started_seconds_ago(1)})
    html = response.content.decode()
    assert summary_items(html)[0].startswith(TOO_FAST)
    assert re.search(r'<img src="/media/moderation/pending/[0-9a-f]{32}-medium\.jpg"', html)
    page = hidden_values(html)
    assert page["once"] == once and page["kept_photos"]

    fill_clock.wait(5)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/inscrire/", {**data, **page})
        second = client.post("/inscrire/", {**data, **page})
    assert first.status_code == second.status_code == 302
    listing = Listing.objects.get()
    assert listing.name == "Ferme des Trois Chênes"
    assert listing.photos.count() == 1
    assert len(mail.outbox) == 1


def test_a_registration_page_open_for_a_day_sent_again_twice_stores_one_listing(
    client, submission, fill_clock, django_capture_on_commit_callbacks
):
    # The page's one-time token is as old as its timer: the page shown again needs a new one, or a double click on it
    # stores two listings (an expired token protects nothing).
    once = signed_long_ago("a-token-from-yesterday", FORM_TOKEN_SALT)
    response = client.post("/inscrire/", {**submission, "once": once, "started": started_long_ago()})
    html = response.content.decode()
    assert summary_items(html)[0].startswith(TOO_OLD)
    page = hidden_values(html)
    assert page["once"] != once

    fill_clock.wait(5)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/inscrire/", {**submission, **page})
        second = client.post("/inscrire/", {**submission, **page})
    assert first.status_code == second.status_code == 302
    assert Listing.objects.count() == 1
    assert len(mail.outbox) == 1
