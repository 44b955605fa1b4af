"""The admin login throttle (django-axes): which address a login comes from, and what a locked-out person reads."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


def client_ip(request):
    """Behind a reverse proxy every request comes from the proxy: RATELIMIT_IP_META_KEY names the header that holds
    the visitor's address (docs/deployment.md), for the sign-up rate limit and this throttle alike. Of a forwarded
    list (X-Forwarded-For) only the last entry counts: the client writes the others and could change them at each
    attempt, while the last one is the address our proxy saw and appended."""
    key = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    return request.META.get(key, "").split(",")[-1].strip() or None


def lockout_response(request, original_response, credentials):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
    }
    return render(request, "admin/locked_out.html", context, status=429)
