"""A shopper reporting an error on a listing: plain choices, and messages that say which answer is missing."""

import re

import pytest

from moderation.models import ErrorReport
from tests.factories import ListingFactory

from .conftest import started_seconds_ago

pytestmark = pytest.mark.django_db


def radios(page):
    return re.findall(r'<input type="radio" name="kind" value="([^"]*)"[^>]*?( checked)?[ >]', page)


def test_the_kinds_are_offered_without_a_blank_button_and_none_is_ticked(client, angers):
    listing = ListingFactory()
    page = client.get(f"/activites/{listing.slug}/signaler/").content.decode()
    assert radios(page) == [(value, "") for value in ErrorReport.Kind.values]
    assert "---------" not in page


def test_a_report_sent_half_answered_says_what_is_missing_and_keeps_the_rest(client, angers):
    listing = ListingFactory()
    data = {"kind": "", "message": "", "email": "client@example.org", "started": started_seconds_ago()}
    response = client.post(f"/activites/{listing.slug}/signaler/", data)
    page = response.content.decode()
    summary = re.search(r"data-error-summary.*?</div>", page, re.S)[0]
    assert "Choisissez ce qui ne va pas." in summary
    assert "Dites en quelques mots ce qui ne va pas." in summary
    assert "Ce champ est obligatoire" not in page
    assert 'value="client@example.org"' in page
    assert not ErrorReport.objects.exists()
