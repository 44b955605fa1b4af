"""The settings' readers of environment variables: a value they cannot read stops the site with a clear message."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from localdir.env import envbool, envint, envlist, envrate


@pytest.mark.parametrize("value", ["1", "true", "True", " YES ", "on"])
def test_envbool_reads_true(monkeypatch, value):
    monkeypatch.setenv("FLAG", value)
    assert envbool("FLAG", False) is True


@pytest.mark.parametrize("value", ["0", "false", "FALSE", "no", " off"])
def test_envbool_reads_false(monkeypatch, value):
    monkeypatch.setenv("FLAG", value)
    assert envbool("FLAG", True) is False


def test_envbool_unset_is_the_default(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert envbool("FLAG", True) is True
    assert envbool("FLAG", False) is False


@pytest.mark.parametrize("value", ["flase", "2", "", "enabled"])
def test_envbool_refuses_anything_else(monkeypatch, value):
    monkeypatch.setenv("FLAG", value)
    with pytest.raises(ImproperlyConfigured, match=r"^FLAG=.* is neither true nor false: use one of 1, true, yes, on"):
        envbool("FLAG", False)


def test_envint(monkeypatch):
    monkeypatch.delenv("COUNT", raising=False)
    assert envint("COUNT", 60) == 60
    monkeypatch.setenv("COUNT", " 5 ")
    assert envint("COUNT", 60) == 5
    for wrong in ["5s", "", "1.5"]:
        monkeypatch.setenv("COUNT", wrong)
        with pytest.raises(ImproperlyConfigured, match=r"^COUNT=.* is not a whole number \(e\.g\. COUNT=60\)"):
            envint("COUNT", 60)


def test_envint_refuses_a_value_below_its_minimum(monkeypatch):
    monkeypatch.setenv("SLOTS", "0")
    with pytest.raises(ImproperlyConfigured, match="SLOTS='0' is too small: it must be 1 or more"):
        envint("SLOTS", 1, minimum=1)
    monkeypatch.setenv("SLOTS", "1")
    assert envint("SLOTS", 1, minimum=1) == 1


def test_envlist(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example, ,b.example ")
    assert envlist("HOSTS") == ["a.example", "b.example"]
    monkeypatch.delenv("HOSTS")
    assert envlist("HOSTS", "localhost") == ["localhost"]


def test_envrate(monkeypatch):
    monkeypatch.delenv("RATE", raising=False)
    assert envrate("RATE", "5/h") == "5/h"
    for good in ["10/m", "100/10m", "1/d"]:
        monkeypatch.setenv("RATE", good)
        assert envrate("RATE", "5/h") == good
    for wrong in ["5 per hour", "5/week", "h/5", ""]:
        monkeypatch.setenv("RATE", wrong)
        with pytest.raises(ImproperlyConfigured, match=r"^RATE=.* is not a rate"):
            envrate("RATE", "5/h")
