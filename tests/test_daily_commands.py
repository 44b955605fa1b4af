"""The daily commands record each success; one that stops shows in check_daily_commands (exit 1) and the admin."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from localdir import daily
from localdir.models import CommandRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("command", daily.DAILY_COMMANDS)
def test_each_daily_command_records_its_success(command):
    before = timezone.now()
    call_command(command, verbosity=0)
    assert CommandRun.objects.get(command=command).succeeded_at >= before


def test_a_dry_run_is_not_a_run():
    call_command("purge_personal_data", dry_run=True, verbosity=0)
    assert not CommandRun.objects.exists()


def test_a_failed_run_is_not_recorded(monkeypatch):
    from producers import counts

    def broken():
        raise RuntimeError("database gone")

    monkeypatch.setattr(counts, "recount_all", broken)
    with pytest.raises(RuntimeError):
        call_command("recount_listings", verbosity=0)
    assert not CommandRun.objects.exists()


def run_all(when):
    for command in daily.DAILY_COMMANDS:
        daily.record(command, when)


def test_the_check_passes_when_every_command_ran_today(capsys):
    run_all(timezone.now() - datetime.timedelta(hours=20))
    call_command("check_daily_commands")  # no SystemExit: exit status 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(daily.DAILY_COMMANDS) and all(line.endswith("\tok") for line in lines)


def test_the_check_fails_on_a_late_or_never_run_command(capsys, settings):
    settings.DAILY_COMMANDS_MAX_AGE_HOURS = 26
    run_all(timezone.now() - datetime.timedelta(hours=2))
    daily.record("send_alerts", timezone.now() - datetime.timedelta(hours=27))
    CommandRun.objects.filter(command="refresh_opening_slots").delete()
    with pytest.raises(SystemExit) as exit:
        call_command("check_daily_commands")
    assert exit.value.code == 1
    out, err = capsys.readouterr()
    assert "refresh_opening_slots\tnever\tLATE" in out
    assert re.search(r"^send_alerts\t\S+\tLATE$", out, re.MULTILINE)
    assert "recount_listings" not in err and "send_alerts" in err


def test_staff_see_the_late_commands_on_the_admin_home(client):
    run_all(timezone.now())
    daily.record("send_alerts", timezone.now() - datetime.timedelta(days=3))
    client.force_login(UserFactory(is_staff=True))
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="daily-commands-late"' in html
    assert "Commandes quotidiennes en retard" in html
    assert "<code>send_alerts</code> — dernière réussite : " in html
    assert "<code>recount_listings</code>" not in html


def test_the_warning_says_to_replace_djangos_clearsessions_in_the_cron(client):
    """An install upgraded with its cron still running Django's clearsessions: nothing records the run."""
    run_all(timezone.now())
    daily.record("clear_expired_sessions", timezone.now() - datetime.timedelta(days=3))
    client.force_login(UserFactory(is_staff=True))
    html = client.get(reverse("admin:index")).content.decode()
    [item] = re.findall(r"<li><code>clear_expired_sessions</code>.*?</li>", html, re.DOTALL)
    assert (
        "Si le cron ou le minuteur du serveur lance encore la commande <code>clearsessions</code> de Django, "
        "remplacez-la par "
        "<code>clear_expired_sessions</code>"
    ) in item
    daily.record("clear_expired_sessions")
    daily.record("send_alerts", timezone.now() - datetime.timedelta(days=3))
    assert "clearsessions" not in client.get(reverse("admin:index")).content.decode()


def test_no_warning_when_all_ran(client):
    run_all(timezone.now())
    client.force_login(UserFactory(is_staff=True))
    assert 'id="daily-commands-late"' not in client.get(reverse("admin:index")).content.decode()


def test_every_command_the_docs_say_to_run_daily_is_watched():
    table = (Path(__file__).parents[1] / "docs" / "deployment.md").read_text()
    documented = set(re.findall(r"^\| `(\w+)` \| daily:", table, re.MULTILINE))
    assert documented == set(daily.DAILY_COMMANDS)


def test_expired_sessions_are_cleared_and_the_run_recorded():
    from django.contrib.sessions.models import Session

    now = timezone.now()
    Session.objects.create(session_key="expired", session_data="", expire_date=now - datetime.timedelta(days=1))
    Session.objects.create(session_key="current", session_data="", expire_date=now + datetime.timedelta(days=1))
    call_command("clear_expired_sessions")
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]
    assert CommandRun.objects.get(command="clear_expired_sessions").succeeded_at >= now
