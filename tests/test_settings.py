"""Production settings refuse to run insecurely; error pages render in the site's style."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def run_check(env, *args):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; a deployment never should.
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    env = {"DEBUG": "0", "SECRET_KEY": "x" * 20 + "7HkQ2s9pLm4ZrT1vWc8YbN3dFgJ5uE6aSx0", "ALLOWED_HOSTS": "a.example"}
    result = run_check(env, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_the_404_page_is_in_the_site_style(settings):
    settings.DEBUG = False
    response = Client().get("/nulle-part/")
    assert response.status_code == 404
    assert 'class="site-header"' in response.content.decode()


@pytest.mark.django_db
def test_the_500_page_renders_without_context(settings):
    from localdir.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy():
    policy = Client().get("/nulle-part/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "https://tile.openstreetmap.org" in directives["img-src"]
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_a_changed_content_security_policy_shows_on_the_next_response(settings):
    """The policy is built once per process (localdir.http.CSPMiddleware), and again when its settings change."""
    client = Client()
    assert "Content-Security-Policy-Report-Only" not in client.get("/nulle-part/")
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'"]},
        "EXCLUDE_URL_PREFIXES": ["/en/"],
    }
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"script-src": ["'none'"]}}
    response = client.get("/nulle-part/")
    directives = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";") if d.strip())
    assert directives["img-src"] == "'self'"
    assert "script-src 'none'" in response["Content-Security-Policy-Report-Only"]
    excluded = client.get("/en/nowhere/")
    assert "Content-Security-Policy" not in excluded
    assert "Content-Security-Policy-Report-Only" in excluded


def settings_value(env, name):
    """The value of a setting in a fresh process started with `env`, as the site would read it at start-up."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    environment.update(env)
    code = f"import django; django.setup(); from django.conf import settings; print(repr(settings.{name}))"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "localdir.settings"},
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("MODERATION_SUBMIT_RATE", "2/d", "'2/d'"),
        ("MODERATION_POST_RATE", "100/10m", "'100/10m'"),
        ("MODERATION_MIN_FILL_SECONDS", "7", "7"),
        ("MODERATION_RETENTION_DAYS", "30", "30"),
        ("PAGE_CACHE_SECONDS", "0", "0"),
    ],
)
def test_the_documented_settings_are_read_from_the_environment(name, value, expected):
    result = settings_value({name: value}, name)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_a_mistyped_boolean_stops_the_site_naming_the_variable():
    result = run_check({"DEBUG": "flase"})
    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG='flase' is neither true nor false" in result.stderr
    assert "1, true, yes, on or 0, false, no, off" in result.stderr


def test_a_mistyped_number_or_rate_stops_the_site_naming_the_variable():
    result = run_check({"CONN_MAX_AGE": "60s"})
    assert "ImproperlyConfigured: CONN_MAX_AGE='60s' is not a whole number" in result.stderr
    result = run_check({"MODERATION_SUBMIT_RATE": "5 per hour"})
    assert "ImproperlyConfigured: MODERATION_SUBMIT_RATE='5 per hour' is not a rate" in result.stderr


def test_every_variable_the_settings_read_is_in_the_deployment_table():
    """docs/deployment.md lists every variable localdir/settings.py reads, and names none it does not read."""
    code = (ROOT / "localdir" / "settings.py").read_text()
    read = set(re.findall(r'env(?:bool|int|list|rate)?\("([A-Z_]+)"', code))
    read |= set(re.findall(r'os\.environ(?:\.get\(\s*|\[)"([A-Z_]+)"', code))
    assert "dj_database_url.config(" in code
    read.add("DATABASE_URL")  # what dj_database_url.config() reads
    table = [line for line in (ROOT / "docs" / "deployment.md").read_text().splitlines() if line.startswith("| `")]
    documented = {name for line in table for name in re.findall(r"`([A-Z][A-Z_]+)`", line.split(" | ")[0])}
    assert read - documented == set()
    assert documented - read == set()


def runserver_environment(*make_args, env=None):
    """The variables `make run` sets on its runserver command (make -n prints it without running anything)."""
    environment = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "HOST"}}
    environment.update(env or {})
    printed = subprocess.run(
        ["make", "-n", "run", *make_args], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    ).stdout
    [command] = [line for line in printed.splitlines() if "manage.py runserver" in line]
    return dict(re.findall(r"(?:^|\s)([A-Z_]+)=(\S+)", command.split("manage.py")[0]))


def test_make_run_mails_links_to_the_address_it_serves():
    variables = runserver_environment("HOST=127.0.0.1:8101")
    assert settings_value(variables, "SITE_URL").stdout.strip() == "'http://127.0.0.1:8101'"
    assert runserver_environment()["SITE_URL"] == "http://127.0.0.1:8000"
    # A SITE_URL given (say, the address a phone reaches) is kept.
    assert runserver_environment("HOST=0.0.0.0:8080", env={"SITE_URL": "http://192.168.1.20:8080"}) == {
        "SITE_URL": "http://192.168.1.20:8080"
    }
