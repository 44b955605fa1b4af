"""The admin login resists guessing: failed logins are throttled per username and per address (django-axes)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "correct horse battery staple"  # UserFactory's


@pytest.fixture
def alice(db):
    user = UserFactory(username="alice", is_staff=True)
    user.groups.add(Group.objects.get(name="Modérateurs"))
    return user


def log_in(client, username, password, ip="203.0.113.7", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip, **headers
    )


def logged_in(client):
    return client.get(reverse("admin:index")).status_code == 200


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(client, alice):
    statuses = [log_in(client, "alice", f"guess-{n}").status_code for n in range(30)]
    assert statuses[0] == 200  # the login form again, with its error
    assert statuses[-1] == 429
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Connexion bloquée" in page and "bloquée pendant 60 minutes, même avec le bon mot de passe" in page
    assert not logged_in(client)

    call_command("axes_reset", verbosity=0)
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert logged_in(client)


def test_a_locked_username_stays_locked_from_another_address(client, alice):
    for n in range(5):
        log_in(client, "alice", f"guess-{n}", ip=f"198.51.100.{n}")
    assert log_in(client, "alice", PASSWORD, ip="192.0.2.99").status_code == 429
    assert not logged_in(client)


def test_a_locked_address_cannot_try_other_usernames_but_others_can(client, alice):
    bob = UserFactory(username="bob", is_staff=True)
    for n in range(5):
        log_in(client, f"someone{n}", "guess", ip="203.0.113.7")
    assert log_in(client, "bob", PASSWORD, ip="203.0.113.7").status_code == 429
    assert not logged_in(client)
    assert log_in(client, "alice", PASSWORD, ip="192.0.2.1").status_code == 302
    client.logout()
    # Bob's own account was never the problem: only the address is locked.
    assert log_in(client, bob.username, PASSWORD, ip="192.0.2.2").status_code == 302
    assert logged_in(client)


def test_a_superuser_unlocks_one_account(client, alice):
    for n in range(5):
        log_in(client, "alice", f"guess-{n}")
    assert log_in(client, "alice", PASSWORD).status_code == 429
    call_command("axes_reset_username", "alice", verbosity=0)
    call_command("axes_reset_ip", "203.0.113.7", verbosity=0)
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_a_superuser_sees_the_attempts_in_the_admin(client, alice):
    for n in range(5):
        log_in(client, "alice", f"guess-{n}")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "alice" in page


def test_behind_a_proxy_visitors_are_told_apart_by_the_configured_header(client, alice, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    UserFactory(username="bob", is_staff=True)
    for n in range(5):
        log_in(client, f"someone{n}", "guess", ip="10.0.0.1", HTTP_X_REAL_IP="203.0.113.50")
    # Same proxy address, another visitor: not locked out by the first one's failures.
    assert log_in(client, "bob", PASSWORD, ip="10.0.0.1", HTTP_X_REAL_IP="198.51.100.8").status_code == 302
    client.logout()
    assert log_in(client, "alice", PASSWORD, ip="10.0.0.1", HTTP_X_REAL_IP="203.0.113.50").status_code == 429


def test_behind_a_proxy_a_forwarded_list_counts_the_address_the_proxy_appended(client, alice, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    UserFactory(username="bob", is_staff=True)
    # The guesser writes a new first entry each time; the proxy appends the address it really saw.
    for n in range(5):
        log_in(client, f"someone{n}", "guess", ip="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.50")
    assert (
        log_in(client, "bob", PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.77, 203.0.113.50").status_code
        == 429
    )
    assert not logged_in(client)
    # Someone else, whose first entry names the locked address, is not locked out by it.
    response = log_in(client, "alice", PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50, 198.51.100.8")
    assert response.status_code == 302
