"""Errors are seen and heard: a summary at the top of each public form, "Erreur :" in the title, and every field
error wired to its input (aria-describedby, aria-invalid) on the sign-up, edit, lost-link and error-report forms."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from moderation.models import EditToken
from tests.factories import ListingFactory

from .conftest import started_seconds_ago
from .test_edit_link import form_data

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """The ids, the aria-describedby references, the inputs marked invalid, the title and the summary's links."""

    def __init__(self, html):
        super().__init__()
        self.ids, self.described_by, self.invalid, self.summary_links = set(), [], set(), []
        self.title, self._in_title, self._in_summary, self.summary_role = "", False, 0, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby") is not None:
            self.described_by.append((attrs.get("id") or attrs.get("name"), attrs["aria-describedby"]))
        if attrs.get("aria-invalid") == "true":
            self.invalid.add(attrs.get("name"))
        if tag == "title":
            self._in_title = True
        if "data-error-summary" in attrs:
            self._in_summary, self.summary_role = 1, attrs.get("role")
        elif self._in_summary and tag == "div":
            self._in_summary += 1
        if self._in_summary and tag == "a":
            self.summary_links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if self._in_summary and tag == "div":
            self._in_summary -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def dangling_references(self):
        return [(owner, ref) for owner, refs in self.described_by for ref in refs.split() if ref not in self.ids]


def check_wiring(html):
    page = Page(html)
    assert page.dangling_references() == []
    assert all(link.startswith("#") and link[1:] in page.ids for link in page.summary_links), page.summary_links
    return page


@pytest.fixture
def listing(angers, category):
    return ListingFactory(email="lac@example.org", categories=[category])


@pytest.fixture
def pages(client, listing):
    """Each form's address and a post of it with errors."""
    token = EditToken.issue(listing)
    traps = {"fax_number": "", "started": started_seconds_ago()}
    return {
        "sign-up": ("/inscrire/", {"name": "", "email": "pas-une-adresse", "phone": "12", **traps}),
        "edit": (f"/modifier/{token}/", form_data(listing, name="", phone="12", categories=[])),
        "lost link": ("/inscrire/lien-perdu/", {"email": "pas-une-adresse", **traps}),
        "report": (f"/activites/{listing.slug}/signaler/", {"kind": "", "message": "", **traps}),
    }


@pytest.mark.parametrize("name", ["sign-up", "edit", "lost link", "report"])
def test_every_description_points_at_something_on_the_page_without_errors(client, pages, name):
    url, _data = pages[name]
    page = check_wiring(client.get(url).content.decode())
    assert not page.title.startswith("Erreur")
    assert page.summary_role is None


@pytest.mark.parametrize("name", ["sign-up", "edit", "lost link", "report"])
def test_a_refused_form_has_a_summary_linking_each_error_and_wired_fields(client, pages, name):
    url, data = pages[name]
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    page = check_wiring(response.content.decode())
    assert page.title.replace("\xa0", " ").startswith("Erreur : ")
    assert page.summary_role == "alert"
    assert len(page.summary_links) == sum(len(errors) for errors in form.errors.values())
    for field in form.errors:
        assert any(ref == f"id_{field}_error" for _owner, refs in page.described_by for ref in refs.split()), field
        if not form[field].use_fieldset:
            assert field in page.invalid


def test_the_categories_error_is_attached_to_the_group_and_linked_from_the_summary(client, pages):
    url, data = pages["edit"]
    html = client.post(url, data).content.decode()
    page = check_wiring(html)
    assert ("id_categories_group", "id_categories_helptext id_categories_error") in page.described_by
    assert "#id_categories_0" in page.summary_links
    first = r'<input type="checkbox" name="categories" value="[\w-]+" aria-invalid="true" id="id_categories_0">'
    assert re.search(first, html)


def test_a_missing_commune_speaks_of_the_commune_not_of_its_insee_code(client, submission):
    response = client.post("/inscrire/", {**submission, "commune": "", "insee_code": "99999"})
    html = response.content.decode()
    assert "Indiquez le nom de votre commune." in html
    assert "INSEE" not in html
    assert "#id_commune" in Page(html).summary_links


def test_the_commune_is_marked_required(client, angers):
    html = client.get("/inscrire/").content.decode()
    assert re.search(r'for="id_commune">Commune\W*</label> <span class="required" aria-hidden="true">\*</span>', html)


def summary_items(html):
    summary = re.search(r"<div class=\"error-summary\".*?</ul>", html, re.S)[0]
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li>(.*?)</li>", summary, re.S)]


def test_each_message_of_the_summary_says_which_answer_it_is_about(client, submission):
    """Read alone (a screen reader reads the summary first), "This field is required." twice said nothing."""
    data = {**submission, "name": "", "email": "", "image_rights": "on"}
    data["photo_2"] = SimpleUploadedFile("photo.jpg", b"Bonjour, ceci n'est pas une image.\n", "image/jpeg")
    items = summary_items(client.post("/inscrire/", data).content.decode())
    assert items == [
        "Indiquez le nom de votre activité.",
        "Indiquez votre adresse e-mail : nous y envoyons votre lien privé.",
        "Photo 2 : Ce fichier n’est pas une image JPEG, PNG ou WebP.",
    ]


def test_a_pin_typed_wrong_is_named_in_the_summary(client, submission):
    """Django's "Enter a number." and "Ensure this value is less than or equal to 180." name neither box."""
    data = {**submission, "latitude": "nord", "longitude": "999"}
    items = summary_items(client.post("/inscrire/", data).content.decode())
    assert items == [
        "Latitude : Saisissez un nombre.",
        "Longitude : Assurez-vous que cette valeur est inférieure ou égale à 180.",
    ]
