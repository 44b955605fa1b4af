"""The admin login throttle (django-axes): which address a login comes from, and what a locked-out person reads."""

import ipaddress

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


def client_ip(request):
    """The visitor's address, for the rate limits (django-ratelimit's RATELIMIT_IP_META_KEY) and this throttle.

    Behind a reverse proxy every request comes from the proxy: CLIENT_IP_HEADER (the environment's
    RATELIMIT_IP_META_KEY, docs/deployment.md) names the header that holds the visitor's address. Of a forwarded
    list (X-Forwarded-For) only the last entry counts: the client writes the others and could change them at each
    attempt, while the last one is the address our proxy saw and appended. A request without that header (a health
    check straight to gunicorn) or with something else in it counts under REMOTE_ADDR rather than failing.
    """
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    for value in (request.META.get(header, "") if header else "", request.META.get("REMOTE_ADDR", "")):
        candidate = value.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return "0.0.0.0"  # no address at all (a Unix socket without a proxy header): one shared count, never a 500


def lockout_response(request, original_response, credentials):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
    }
    return render(request, "admin/locked_out.html", context, status=429)
