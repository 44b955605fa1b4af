"""The weekly digest: only what is new in the followed query, only when there is something, never twice."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import CommandError, call_command

from alerts import subscriptions
from alerts.models import Digest, Subscription
from localdir.models import CommandRun
from producers.models import Listing
from tests.factories import ListingFactory
from tests.moderation.concurrency import at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def lea(places, clock):
    """Léa follows the producers within 20 km of Chalonnes-sur-Loire, confirmed on Sunday 1 March 2026."""
    return Subscription.objects.create(
        email="lea@example.org",
        language="fr",
        commune=places["chalonnes"],
        params={"distance": "20"},
        confirmed_at=clock.now,
    )


def run(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return subscriptions.send_digests()


def test_the_first_monday_brings_what_was_published_nearby(lea, places, clock, django_capture_on_commit_callbacks):
    clock.travel(hours=2)
    ListingFactory(name="Ferme de la Corniche", commune=places["chalonnes"], short_description="Fromages de chèvre")
    ListingFactory(name="Ferme de Bordeaux", commune=places["bordeaux"])  # elsewhere
    ListingFactory(name="En attente", commune=places["chalonnes"], status=Listing.Status.PENDING)
    clock.travel(days=1)  # Monday 2 March
    assert run(django_capture_on_commit_callbacks) == (1, 1, 0)
    message = mail.outbox[0]
    assert message.to == ["lea@example.org"]
    assert message.subject == "Nouveaux producteurs près de Chalonnes-sur-Loire : 1 nouvelle fiche"
    assert "Ferme de la Corniche, Chalonnes-sur-Loire (49)" in message.body
    assert "Fromages de chèvre" in message.body
    assert "Bordeaux" not in message.body and "En attente" not in message.body
    html = message.alternatives[0][0]
    assert "Ferme de la Corniche</a>" in html
    # RFC 8058 one-click unsubscribe, and a visible link in both parts.
    one_click = message.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(r"<http://[^>]+/alertes/desinscrire/[^/]+/un-clic/>", one_click)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page = one_click[1:-1].removesuffix("un-clic/")
    assert page in message.body and page in html


def test_nothing_new_sends_nothing(lea, places, clock, django_capture_on_commit_callbacks):
    ListingFactory(name="Ferme de Bordeaux", commune=places["bordeaux"])
    clock.travel(days=1)
    assert run(django_capture_on_commit_callbacks) == (1, 0, 0)
    assert not mail.outbox


def test_running_again_the_same_week_sends_nothing_twice(lea, places, clock, django_capture_on_commit_callbacks):
    clock.travel(hours=1)
    ListingFactory(name="Ferme", commune=places["chalonnes"])
    clock.travel(days=1)
    assert run(django_capture_on_commit_callbacks) == (1, 1, 0)
    assert run(django_capture_on_commit_callbacks) == (0, 0, 0)
    clock.travel(days=3)
    ListingFactory(name="Ferme du jeudi", commune=places["chalonnes"])
    assert run(django_capture_on_commit_callbacks) == (0, 0, 0)
    assert len(mail.outbox) == 1
    # The next Monday brings Thursday's listing, and only it.
    clock.travel(days=4)
    assert run(django_capture_on_commit_callbacks) == (1, 1, 0)
    assert "Ferme du jeudi" in mail.outbox[1].body
    assert "Ferme," not in mail.outbox[1].body
    assert Digest.objects.filter(subscription=lea).count() == 2


def test_an_approved_edit_comes_as_an_update(lea, places, clock, django_capture_on_commit_callbacks, django_user_model):
    from moderation.models import Revision
    from producers import listing_data

    clock.travel(days=-30)
    old = ListingFactory(name="Ferme ancienne", commune=places["chalonnes"])
    clock.travel(days=31)  # Monday 2 March: nothing new since Léa confirmed
    assert run(django_capture_on_commit_callbacks) == (1, 0, 0)
    data = listing_data.serialize_listing(old)
    data["short_description"] = "Maintenant des fromages"
    clock.travel(hours=1)
    Revision.objects.create(listing=old, data=data).approve(by=django_user_model.objects.create(username="benevole"))
    clock.travel(days=7)
    assert run(django_capture_on_commit_callbacks) == (1, 1, 0)
    assert "Ferme ancienne, Chalonnes-sur-Loire (49) · mise à jour" in mail.outbox[0].body


def test_unconfirmed_and_just_confirmed_subscriptions_wait(places, clock, django_capture_on_commit_callbacks):
    Subscription.objects.create(email="a@example.org", language="fr", commune=places["chalonnes"])
    clock.travel(days=1)  # Monday
    Subscription.objects.create(
        email="b@example.org", language="fr", commune=places["chalonnes"], confirmed_at=clock.now
    )
    clock.travel(hours=1)
    ListingFactory(name="Ferme", commune=places["chalonnes"])
    assert run(django_capture_on_commit_callbacks) == (0, 0, 0)
    clock.travel(days=7)
    assert run(django_capture_on_commit_callbacks) == (1, 1, 0)
    assert mail.outbox[0].to == ["b@example.org"]


def test_english_subscribers_read_english(places, clock, django_capture_on_commit_callbacks):
    Subscription.objects.create(
        email="a@example.org", language="en", department=places["angers"].department, confirmed_at=clock.now
    )
    clock.travel(hours=1)
    ListingFactory(name="Ferme", commune=places["angers"])
    clock.travel(days=1)
    run(django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert message.subject == "New producers: Maine-et-Loire (49): 1 new listing"
    assert "/en/activites/" in message.body and "/en/alertes/desinscrire/" in message.body


def test_the_command_says_what_it_did(lea, places, clock, capsys, django_capture_on_commit_callbacks):
    clock.travel(hours=1)
    ListingFactory(name="Ferme", commune=places["chalonnes"])
    clock.travel(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_alerts")
    assert "1 weekly digests due, 1 emails sent" in capsys.readouterr().out
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_digest_once(places, clock):
    for n in range(3):
        Subscription.objects.create(
            email=f"p{n}@example.org", language="fr", commune=places["chalonnes"], confirmed_at=clock.now
        )
    clock.travel(hours=1)
    ListingFactory(name="Ferme", commune=places["chalonnes"])
    clock.travel(days=1)
    results = at_once(subscriptions.send_digests, subscriptions.send_digests)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(result.sent for result in results) == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.org", "p1@example.org", "p2@example.org"]
    assert Digest.objects.count() == 3


def test_a_long_week_shows_twenty_and_links_to_the_rest(
    lea, places, clock, django_capture_on_commit_callbacks, settings
):
    clock.travel(hours=1)
    for n in range(21):
        ListingFactory(name=f"Ferme {n:02d}", commune=places["chalonnes"])
        clock.travel(minutes=1)
    clock.travel(days=1)
    assert run(django_capture_on_commit_callbacks) == (1, 1, 0)
    body = mail.outbox[0].body
    assert body.count("\n- Ferme ") == subscriptions.DIGEST_ITEMS == 20
    # The newest first; the oldest waits on the page the email links to.
    assert "Ferme 20," in body and "Ferme 00," not in body
    assert f"Et d’autres : {settings.SITE_URL}/communes/49069-chalonnes-sur-loire/?distance=20" in body


def refuse(addresses):
    """A mail server that refuses the emails to these addresses (every email when `addresses` is None)."""
    original = EmailMultiAlternatives.send

    def send(self, *args, **kwargs):
        if addresses is None or set(self.to) & set(addresses):
            raise ConnectionRefusedError("mail server down")
        return original(self, *args, **kwargs)

    return send


def test_with_the_mail_server_down_nothing_is_lost_and_the_run_is_not_a_success(
    lea, places, clock, monkeypatch, django_capture_on_commit_callbacks
):
    clock.travel(hours=2)
    ListingFactory(name="Ferme de la Corniche", commune=places["chalonnes"])
    clock.travel(days=1)  # Monday
    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", refuse(None))
        with pytest.raises(CommandError, match="1 emails refused"):
            with django_capture_on_commit_callbacks(execute=True):
                call_command("send_alerts", stdout=StringIO())
    assert not mail.outbox
    # Monitoring sees the command late; the week's digest is not spent.
    assert not CommandRun.objects.filter(command="send_alerts").exists()
    assert not Digest.objects.exists()

    clock.travel(days=1)  # Tuesday: the mail server is back
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_alerts", stdout=StringIO())
    assert [message.to for message in mail.outbox] == [["lea@example.org"]]
    assert "Ferme de la Corniche" in mail.outbox[0].body
    assert CommandRun.objects.filter(command="send_alerts").exists()


def test_one_mailbox_refusing_is_tried_again_without_failing_the_run(
    lea, places, clock, monkeypatch, django_capture_on_commit_callbacks
):
    Subscription.objects.create(
        email="dead@example.org", language="fr", commune=places["chalonnes"], confirmed_at=clock.now
    )
    clock.travel(hours=2)
    ListingFactory(name="Ferme de la Corniche", commune=places["chalonnes"])
    clock.travel(days=1)
    errors = StringIO()
    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", refuse(["dead@example.org"]))
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_alerts", stdout=StringIO(), stderr=errors)
    assert "1 emails refused" in errors.getvalue()
    assert [message.to for message in mail.outbox] == [["lea@example.org"]]
    assert CommandRun.objects.filter(command="send_alerts").exists()
    assert list(Digest.objects.values_list("subscription__email", flat=True)) == ["lea@example.org"]

    clock.travel(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_alerts", stdout=StringIO())
    assert [message.to for message in mail.outbox] == [["lea@example.org"], ["dead@example.org"]]
