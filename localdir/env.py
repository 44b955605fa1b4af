"""Typed readers of environment variables for the settings.

A value that cannot be read stops the site at start-up with ImproperlyConfigured naming the variable and what it
accepts: a mistyped `DEBUG=flase` must not quietly mean something else (it used to read as False, and any unknown
word as False too), and `CONN_MAX_AGE=60s` must not end in a bare "invalid literal for int()".
"""

import os
import re

from django.core.exceptions import ImproperlyConfigured

TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")
# What django-ratelimit reads: a count, a slash, an optional number of periods and a period (5/h, 100/10m).
RATE = re.compile(r"^\d+/\d*[smhd]$")


def envbool(name, default):
    """True or False from 1/0, true/false, yes/no, on/off (any case); `default` when the variable is not set."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is neither true nor false: use one of {', '.join(TRUE)} or {', '.join(FALSE)}."
    )


def envint(name, default, minimum=None):
    """A whole number; `default` when the variable is not set. Below `minimum` (if given) is refused."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number (e.g. {name}={default}).") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} is too small: it must be {minimum} or more.")
    return value


def envlist(name, default=""):
    """A comma-separated list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envrate(name, default):
    """A rate as django-ratelimit reads it ("5/h": 5 per hour; s, m, h or d); checked here rather than on the
    first form sent, where a mistyped rate would be a server error."""
    value = os.environ.get(name, default).strip()
    if not RATE.match(value):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate: write a count, a slash and a period in s, m, h or d (e.g. {default})."
        )
    return value
