"""Addresses are kept only while subscribed: purge_personal_data deletes the requests nobody confirmed, and the
privacy notice says so."""

import io

import pytest
from django.core.management import call_command

from alerts.models import Subscription

pytestmark = pytest.mark.django_db


def purge(*args):
    out = io.StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def requests(places, clock):
    old = Subscription.objects.create(email="oubli@example.org", language="fr", commune=places["chalonnes"])
    clock.travel(days=6)
    recent = Subscription.objects.create(email="recent@example.org", language="fr", commune=places["chalonnes"])
    clock.travel(days=-6)
    confirmed = Subscription.objects.create(
        email="fidele@example.org", language="fr", commune=places["chalonnes"], confirmed_at=clock.now
    )
    clock.travel(days=7, minutes=1)
    return old, recent, confirmed


def test_requests_not_confirmed_within_seven_days_are_deleted(requests):
    old, recent, confirmed = requests
    out = purge()
    assert "1 email alerts never confirmed within 7 days were deleted." in out
    assert set(Subscription.objects.values_list("email", flat=True)) == {"recent@example.org", "fidele@example.org"}


def test_a_dry_run_counts_and_keeps(requests):
    out = purge("--dry-run")
    assert "1 email alerts never confirmed within 7 days would be deleted." in out
    assert Subscription.objects.count() == 3


def test_the_delay_is_a_setting(requests, settings, clock):
    settings.ALERTS_UNCONFIRMED_DAYS = 3
    clock.travel(days=-7, minutes=-1)
    clock.travel(days=3, minutes=1)
    purge()
    assert set(Subscription.objects.values_list("email", flat=True)) == {"recent@example.org", "fidele@example.org"}
    clock.travel(days=6)
    purge()
    assert list(Subscription.objects.values_list("email", flat=True)) == ["fidele@example.org"]


def test_the_privacy_notice_says_how_long_addresses_are_kept(client):
    french = client.get("/pages/confidentialite/").content.decode()
    assert "Les alertes par e-mail</h2>" in french
    assert "effacée au bout de sept jours" in french
    assert "votre adresse est alors effacée aussitôt" in french
    english = client.get("/en/pages/confidentialite/").content.decode()
    assert "Email alerts</h2>" in english
    assert "deleted after seven days" in english
