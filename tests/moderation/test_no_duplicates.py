"""No 500 and no duplicate under real use: listings of the same name sent at once each get their own address, and a
registration page sent twice (double click, browser re-send) stores one listing."""

import re

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client

from moderation.models import SentForm
from producers.models import Listing
from tests.factories import ListingFactory

from .concurrency import at_once
from .conftest import started_seconds_ago

pytestmark = pytest.mark.django_db

URL = "/inscrire/"


def token_on(page):
    return re.search(r'name="once" value="([^"]+)"', page)[1]


class TestTheSamePageSentTwice:
    def test_the_second_send_shows_the_success_page_and_stores_nothing(
        self, client, submission, django_capture_on_commit_callbacks
    ):
        once = token_on(client.get(URL).content.decode())
        with django_capture_on_commit_callbacks(execute=True):
            first = client.post(URL, {**submission, "once": once})
            second = client.post(URL, {**submission, "once": once}, follow=True)
        assert first.status_code == 302
        assert second.redirect_chain == [("/inscrire/merci/", 302)]
        assert "Merci" in second.content.decode()
        assert Listing.objects.count() == 1
        assert len(mail.outbox) == 1

    def test_a_page_corrected_after_an_error_is_stored_once(self, client, submission):
        once = token_on(client.get(URL).content.decode())
        response = client.post(URL, {**submission, "name": "", "once": once})
        assert response.status_code == 200
        assert token_on(response.content.decode()) == once
        assert client.post(URL, {**submission, "once": once}).status_code == 302
        assert client.post(URL, {**submission, "once": once}).status_code == 302
        assert Listing.objects.count() == 1

    def test_the_page_sent_again_for_a_second_farm_stores_it_too(self, client, submission):
        """Back after registering, the form edited for another farm and sent: not a double click."""
        once = token_on(client.get(URL).content.decode())
        client.post(URL, {**submission, "once": once})
        second = client.post(URL, {**submission, "name": "Ferme des Saules", "once": once}, follow=True)
        assert "Merci" in second.content.decode()
        assert sorted(Listing.objects.values_list("name", flat=True)) == sorted(
            [submission["name"], "Ferme des Saules"]
        )
        assert client.post(URL, {**submission, "name": "Ferme des Saules", "once": once}).status_code == 302
        assert Listing.objects.count() == 2

    def test_each_page_is_a_new_registration(self, client, submission):
        for _ in range(2):
            once = token_on(client.get(URL).content.decode())
            client.post(URL, {**submission, "once": once})
        assert Listing.objects.count() == 2

    def test_an_altered_token_does_not_block_the_registration(self, client, submission):
        assert client.post(URL, {**submission, "once": "forged:value"}).status_code == 302
        assert Listing.objects.count() == 1
        assert not SentForm.objects.exists()


class TestSlugs:
    def test_a_slug_taken_between_the_check_and_the_insert_is_retried(self, angers, monkeypatch):
        """What a concurrent save does: the free slug found is taken before this insert. The enclosing transaction
        goes on (the retry runs in a savepoint)."""
        first = ListingFactory(name="Ferme du Lac")
        original = Listing._unique_slug
        calls = []

        def stale(listing):
            calls.append(1)
            return first.slug if len(calls) == 1 else original(listing)

        monkeypatch.setattr(Listing, "_unique_slug", stale)
        with transaction.atomic():
            second = ListingFactory(name="Ferme du Lac")
            third = ListingFactory(name="Autre ferme")
        assert second.slug == f"{first.slug}-2"
        assert Listing.objects.filter(pk__in=[second.pk, third.pk]).count() == 2

    def test_another_unique_key_error_is_not_hidden(self, angers):
        from django.db import IntegrityError

        ListingFactory(name="Ferme A", external_id="partner-1")
        with pytest.raises(IntegrityError), transaction.atomic():
            ListingFactory(name="Ferme B", external_id="partner-1")


def sign_up(data, address):
    return Client(REMOTE_ADDR=address).post(URL, data)


@pytest.mark.django_db(transaction=True)
def test_ten_same_name_sign_ups_at_once_all_succeed_with_distinct_slugs(submission, settings):
    settings.MODERATION_SUBMIT_RATE = "1000/h"
    calls = [
        lambda n=n: sign_up(
            {**submission, "once": SentForm.new_token(), "started": started_seconds_ago()}, f"10.0.0.{n}"
        )
        for n in range(10)
    ]
    responses = at_once(*calls)
    assert [getattr(r, "status_code", r) for r in responses] == [302] * 10
    slugs = list(Listing.objects.values_list("slug", flat=True))
    assert len(slugs) == 10 and len(set(slugs)) == 10
    assert len(mail.outbox) == 10


@pytest.mark.django_db(transaction=True)
def test_the_same_page_sent_twice_at_once_stores_one_listing(submission):
    data = {**submission, "once": SentForm.new_token()}
    responses = at_once(lambda: sign_up(data, "10.0.1.1"), lambda: sign_up(data, "10.0.1.1"))
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    assert all(r["Location"] == "/inscrire/merci/" for r in responses)
    assert Listing.objects.count() == 1
    assert len(mail.outbox) == 1
