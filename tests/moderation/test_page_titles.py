"""Every page of the producers' journeys has its own title, the words of its heading: the title is what a screen
reader says first and what a browser tab shows (WCAG 2.4.2), and "localdir" alone on seven pages said nothing."""

import re
from html import unescape

import pytest
from django.core import mail

from moderation.models import EditToken
from producers.models import Listing

from .conftest import started_seconds_ago
from .test_edit_link import edit_url, form_data

pytestmark = pytest.mark.django_db


def title_and_heading(response):
    page = response.content.decode()
    title = unescape(re.search(r"<title>(.*?)</title>", page, re.S)[1]).strip()
    heading = unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)[1])).strip()
    return title, heading


def assert_titled(response):
    title, heading = title_and_heading(response)
    assert title == f"{heading} · localdir"


@pytest.fixture
def token(published):
    return EditToken.issue(published)


def test_the_page_after_an_edit(client, published, token):
    response = client.post(edit_url(token), form_data(published, name="Ferme du Lac Bleu"))
    assert response.status_code == 200
    assert "Vos modifications sont enregistrées" in response.content.decode()
    assert_titled(response)


def test_the_erase_question_and_the_page_after_it(client, published, token):
    assert_titled(client.get(edit_url(token) + "effacer/"))
    response = client.post(edit_url(token) + "effacer/")
    assert Listing.objects.get(pk=published.pk).status == Listing.Status.UNPUBLISHED
    assert_titled(response)


def test_the_new_link_page(client, published, token):
    response = client.post(edit_url(token) + "nouveau-lien/")
    assert len(mail.outbox) == 1
    assert_titled(response)


def test_the_new_link_page_when_the_email_could_not_go(client, published, token, settings):
    settings.EMAIL_BACKEND = "tests.moderation.test_page_titles.FailingBackend"
    response = client.post(edit_url(token) + "nouveau-lien/")
    assert "n’a pas pu être envoyé" in response.content.decode()
    assert_titled(response)


def test_the_lost_link_page(client, published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/inscrire/lien-perdu/", {"email": "lac@example.org", "fax_number": "", "started": started_seconds_ago()}
        )
    assert len(mail.outbox) == 1
    assert_titled(response)


def test_the_report_sent_page(client, published):
    data = {"kind": "closed", "message": "Fermé depuis un an.", "fax_number": "", "started": started_seconds_ago()}
    response = client.post(f"/activites/{published.slug}/signaler/", data)
    assert published.error_reports.count() == 1
    assert_titled(response)


def test_the_refusal_of_a_robots_form(client, published):
    response = client.post("/inscrire/lien-perdu/", {"email": "lac@example.org", "fax_number": "555", "started": ""})
    assert response.status_code == 400
    assert_titled(response)


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("the mail server is down")
