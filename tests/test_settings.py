"""Production settings refuse to run insecurely; error pages render in the site's style."""

import os
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
