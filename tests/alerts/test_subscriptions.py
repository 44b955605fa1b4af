"""Email alerts without an account: double opt-in, the small form of the directory pages, one-click unsubscribe."""

import re

import pytest
from django.core import mail

from alerts.models import Subscription
from tests.moderation.conftest import started_long_ago, started_seconds_ago

pytestmark = pytest.mark.django_db

CONFIRM = re.compile(r"https?://[^\s\"]+/alertes/confirmer/([^/\s\"]+)/")
UNSUBSCRIBE = re.compile(r"https?://[^\s\"<>]+/alertes/desinscrire/([^/\s\"]+)/")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def subscribe(client, email="lea@example.org", url="/alertes/", **query):
    return client.post(url, {"email": email, "started": started_seconds_ago(), "fax_number": "", **query})


def sent_token(message):
    return CONFIRM.search(message.body).group(1)


@pytest.fixture
def subscribed(client, places, django_capture_on_commit_callbacks):
    """Léa asked for the news around Chalonnes-sur-Loire and received the confirmation request."""
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, ville="49069", distance="20", category="")
    assert response.status_code == 200
    return Subscription.objects.get()


class TestDoubleOptIn:
    def test_asking_stores_an_unconfirmed_subscription_and_sends_the_link(self, client, subscribed):
        assert subscribed.confirmed_at is None
        assert subscribed.email == "lea@example.org"
        assert subscribed.commune.name == "Chalonnes-sur-Loire"
        assert subscribed.params == {"distance": "20"}
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["lea@example.org"]
        assert message.subject == "Confirmez votre alerte : Nouveaux producteurs près de Chalonnes-sur-Loire"
        # Plain text and HTML, the same link in both.
        html = message.alternatives[0][0]
        assert sent_token(message) == CONFIRM.search(html).group(1)
        # Nobody is subscribed yet: nothing to unsubscribe from.
        assert "List-Unsubscribe" not in message.extra_headers

    def test_the_page_says_to_check_the_mailbox(self, client, places):
        html = subscribe(client, ville="49069").content.decode()
        assert "<h1>Consultez votre messagerie</h1>" in html
        assert "Nous avons envoyé un lien à lea@example.org" in html

    def test_opening_the_link_changes_nothing_the_button_confirms(self, client, subscribed):
        token = sent_token(mail.outbox[0])
        page = client.get(f"/alertes/confirmer/{token}/")
        assert page.status_code == 200
        assert "Oui, envoyez-moi ces e-mails" in page.content.decode()
        assert "no-store" in page["Cache-Control"] or "private" in page["Cache-Control"]
        subscribed.refresh_from_db()
        assert subscribed.confirmed_at is None
        response = client.post(f"/alertes/confirmer/{token}/")
        assert response.status_code == 200
        subscribed.refresh_from_db()
        assert subscribed.confirmed_at is not None

    def test_a_forged_link_confirms_nothing(self, client, subscribed):
        token = sent_token(mail.outbox[0])
        forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        assert client.post(f"/alertes/confirmer/{forged}/").status_code == 404
        assert client.post(f"/alertes/confirmer/{subscribed.key}/").status_code == 404
        subscribed.refresh_from_db()
        assert subscribed.confirmed_at is None

    def test_asking_again_sends_the_link_again_and_stores_one(
        self, client, subscribed, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            subscribe(client, email="LEA@example.org ", ville="49069", distance="20")
        assert Subscription.objects.count() == 1
        assert len(mail.outbox) == 2
        assert sent_token(mail.outbox[1]) == sent_token(mail.outbox[0])

    def test_once_confirmed_asking_again_sends_nothing_but_says_the_same(
        self, client, subscribed, django_capture_on_commit_callbacks
    ):
        client.post(f"/alertes/confirmer/{sent_token(mail.outbox[0])}/")
        with django_capture_on_commit_callbacks(execute=True):
            response = subscribe(client, ville="49069", distance="20")
        assert response.status_code == 200
        assert "alerts/subscribe_sent.html" in [t.name for t in response.templates]
        assert len(mail.outbox) == 1

    def test_another_query_is_another_subscription(self, client, subscribed):
        subscribe(client, departement="49", kind="market")
        assert Subscription.objects.count() == 2
        other = Subscription.objects.exclude(pk=subscribed.pk).get()
        assert other.department.code == "49" and other.commune is None
        assert other.params == {"kind": "market"}

    def test_english_visitors_get_english_emails_and_links(self, client, places, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            subscribe(client, url="/en/alertes/", departement="49")
        message = mail.outbox[0]
        assert message.subject == "Confirm your email alert: New producers: Maine-et-Loire (49)"
        assert "/en/alertes/confirmer/" in message.body
        assert Subscription.objects.get().language == "en"


class TestTheForm:
    def test_a_bad_address_is_said_next_to_the_field_and_in_the_summary(self, client, places):
        response = subscribe(client, email="pas-une-adresse", ville="49069")
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("Indiquez une adresse e-mail de la forme nom@exemple.fr.") == 2
        assert 'value="pas-une-adresse"' in html
        assert not Subscription.objects.exists()

    def test_the_honeypot_gets_the_refusal_page_saying_nothing_was_saved(self, client, places):
        response = client.post(
            "/alertes/", {"email": "a@example.org", "fax_number": "x", "started": started_seconds_ago()}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "Rien n’a été enregistré." in html
        assert "trop vite" not in html
        assert '<a href="/pages/contact/">Écrivez à nos bénévoles</a>' in html
        assert not Subscription.objects.exists()

    @pytest.mark.parametrize(
        ("timer", "message"),
        [
            (lambda: started_seconds_ago(0), "il a été envoyé trop vite"),
            (started_long_ago, "la page était ouverte depuis trop longtemps"),
            (lambda: "1:forged", "la page était ouverte depuis trop longtemps"),
        ],
        ids=["too-fast", "a-day-old", "forged"],
    )
    def test_a_form_the_timer_refuses_comes_back_as_typed_and_goes_once_sent_again(
        self, client, places, fill_clock, django_capture_on_commit_callbacks, timer, message
    ):
        query = {"email": "lea@example.org", "ville": "49069", "distance": "20", "fax_number": ""}
        response = client.post("/alertes/", {**query, "started": timer()})
        assert response.status_code == 200
        html = response.content.decode()
        summary = re.search(r"data-error-summary.*?</div>", html, re.S)[0]
        assert message in summary
        assert 'value="lea@example.org"' in html
        assert '<input type="hidden" name="ville" value="49069">' in html
        assert not Subscription.objects.exists()

        fill_clock.wait(5)
        started = re.search(r'name="started" value="([^"]+)"', html)[1]
        with django_capture_on_commit_callbacks(execute=True):
            again = client.post("/alertes/", {**query, "started": started})
        assert "alerts/subscribe_sent.html" in [t.name for t in again.templates]
        assert Subscription.objects.get().email == "lea@example.org"
        assert len(mail.outbox) == 1

    def test_it_is_rate_limited_like_the_other_public_forms(self, client, places, settings, rate_limit_clock):
        settings.MODERATION_SUBMIT_RATE = "2/h"
        for n in range(2):
            assert subscribe(client, email=f"p{n}@example.org").status_code == 200
        response = subscribe(client, email="p9@example.org")
        assert response.status_code == 429
        assert 'value="p9@example.org"' in response.content.decode()
        assert Subscription.objects.count() == 2

    def test_a_post_without_csrf_token_is_refused(self, places):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        response = strict.post("/alertes/", {"email": "a@example.org", "started": started_seconds_ago()})
        assert response.status_code == 403
        assert not Subscription.objects.exists()

    def test_the_small_form_of_a_page_opens_the_page_filled_in_and_stores_nothing(self, places):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        response = strict.post(
            "/alertes/",
            {
                "step": "page",
                "email": "lea@example.org",
                "ville": "49069",
                "distance": "20",
                "started": started_seconds_ago(),
            },
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert 'value="lea@example.org"' in html
        assert "Nouveaux producteurs près de Chalonnes-sur-Loire" in html
        assert '<input type="hidden" name="ville" value="49069">' in html
        assert 'name="csrfmiddlewaretoken"' in html
        assert not Subscription.objects.exists()

    def test_the_page_of_its_own_names_the_query_and_its_feeds(self, client, places):
        html = client.get("/alertes/", {"departement": "49", "kind": "market"}).content.decode()
        assert "Nouveaux marchés : Maine-et-Loire (49)" in html
        assert 'href="/departements/49-maine-et-loire/nouveautes.rss?kind=market"' in html


class TestUnsubscribe:
    @pytest.fixture
    def token(self, subscribed):
        return subscribed.token

    def test_the_page_asks_and_the_button_deletes_the_address(self, client, subscribed, token):
        page = client.get(f"/alertes/desinscrire/{token}/")
        assert page.status_code == 200
        assert "lea@example.org" in page.content.decode()
        assert Subscription.objects.exists()
        response = client.post(f"/alertes/desinscrire/{token}/")
        assert response.status_code == 200
        assert not Subscription.objects.exists()
        # Twice, or from an older email: the same answer.
        assert client.post(f"/alertes/desinscrire/{token}/").status_code == 200
        assert "n’existe plus" in client.get(f"/alertes/desinscrire/{token}/").content.decode()

    def test_one_click_post_needs_no_csrf_token_and_deletes_at_once(self, subscribed, token):
        from django.test import Client

        mail_client = Client(enforce_csrf_checks=True)
        response = mail_client.post(
            f"/alertes/desinscrire/{token}/un-clic/",
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200
        assert not Subscription.objects.exists()

    def test_one_click_opened_as_a_page_leads_to_the_button_and_refuses_forged_tokens(self, client, subscribed, token):
        # A mail client without one-click unsubscribing opens the List-Unsubscribe address in the browser.
        response = client.get(f"/alertes/desinscrire/{token}/un-clic/", follow=True)
        assert response.redirect_chain == [(f"/alertes/desinscrire/{token}/", 303)]
        assert Subscription.objects.filter(pk=subscribed.pk).exists()
        assert 'method="post"' in response.content.decode()
        assert client.post(f"/alertes/desinscrire/{subscribed.key}/un-clic/").status_code == 200
        assert client.post("/alertes/desinscrire/forged:value/un-clic/").status_code == 200
        assert Subscription.objects.exists()

    def test_the_page_with_a_csrf_less_post_is_refused(self, subscribed, token):
        from django.test import Client

        response = Client(enforce_csrf_checks=True).post(f"/alertes/desinscrire/{token}/")
        assert response.status_code == 403
        assert Subscription.objects.exists()


def test_filters_the_directory_refuses_are_left_out_of_a_subscription(client, places, vegetables):
    subscribe(client, departement="49", category="pas-une-categorie", distance="7", kind="market")
    assert Subscription.objects.get().params == {"kind": "market"}
    subscribe(client, email="b@example.org", departement="49", category="legumes")
    assert Subscription.objects.get(email="b@example.org").params == {"category": "legumes"}


def test_the_page_the_small_form_opens_can_be_sent_at_once(places):
    """The visitor typed their address on the page before: the spam timer does not make them wait again."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    page = browser.post("/alertes/", {"step": "page", "email": "lea@example.org", "ville": "49069"})
    html = page.content.decode()
    fields = dict(re.findall(r'name="(csrfmiddlewaretoken|started)" value="([^"]+)"', html))
    response = browser.post("/alertes/", {**fields, "email": "lea@example.org", "ville": "49069", "fax_number": ""})
    assert response.status_code == 200
    assert Subscription.objects.get().commune == places["chalonnes"]


def test_the_form_cannot_fill_a_strangers_mailbox(client, places, django_capture_on_commit_callbacks):
    # Five queries for the same address, from five addresses (each under its own rate limit): three emails a day.
    for n, distance in enumerate(("5", "10", "20", "50", "")):
        with django_capture_on_commit_callbacks(execute=True):
            response = subscribe(
                client, email="victim@example.org", ville="49069", distance=distance, REMOTE_ADDR=f"192.0.2.{n}"
            )
        assert response.status_code == 200
        assert "alerts/subscribe_sent.html" in [t.name for t in response.templates]
    assert Subscription.objects.filter(email="victim@example.org").count() == 5
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("data", [{"ville": "49\x0069"}, {"email": "a" * 300 + "@example.org"}])
def test_odd_input_is_never_a_500(client, places, data):
    response = subscribe(client, **{"ville": "49069", **data})
    assert response.status_code == 200
    if "email" in data:
        assert "email" in response.context["form"].errors
