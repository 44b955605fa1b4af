"""Conditional requests: Django's ConditionalGetMiddleware, answering HEAD as it answers GET; django-csp's
middleware with the site's policy built once."""

import copy
from functools import lru_cache
from http import HTTPStatus

import csp.middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.http import ConditionalGetMiddleware as DjangoConditionalGetMiddleware
from django.utils.functional import Promise


class ConditionalGetMiddleware(DjangoConditionalGetMiddleware):
    """ETag and 304 for HEAD too: a reverse proxy revalidating its copy with HEAD and If-None-Match gets a 304.

    Django leaves HEAD out, reckoning its body empty. Our views render the same body for HEAD as for GET (the WSGI
    server drops it on the way out), so the ETag is the GET's. A HEAD response that really has no body (or streams
    one) is left as it is: its ETag would not be the GET's.
    """

    def process_response(self, request, response):
        if request.method == "HEAD" and not response.streaming and response.content:
            # Django's reasoning, unchanged, about a GET; a 304 answers GET and HEAD alike.
            request = copy.copy(request)
            request.method = "GET"
        return super().process_response(request, response)


# Attributes by which a view or decorator (csp_update, csp_replace, csp, csp_exempt) asks for its own policy.
_OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


def _lazy(setting):
    """Whether a directive of the policy `setting` holds a lazy value (reverse_lazy(), gettext_lazy()): django-csp
    forces it on each response, in the language and under the script prefix of the request."""
    directives = (getattr(settings, setting, None) or {}).get("DIRECTIVES", None) or {}
    for value in directives.values():
        values = value if isinstance(value, (list, tuple, set)) else (value,)
        if any(isinstance(item, Promise) for item in values):
            return True
    return False


@lru_cache(maxsize=1)
def _site_policies():
    """The site's policy and report-only policy as django-csp writes them (settings only, no nonce); None when a
    directive is lazy, as its text may differ from one request to the next."""
    if _lazy("CONTENT_SECURITY_POLICY") or _lazy("CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        return None
    return build_policy(), build_policy(report_only=True)


@receiver(setting_changed)
def _policy_setting_changed(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policies.cache_clear()


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, the site's policy built once per process.

    django-csp builds the header afresh on each response (its settings copied and joined, twice: the policy and the
    report-only one), a fifth of what the middleware stack cost a minimal view under cProfile. A response that
    asks for its own policy (django-csp's decorators) or a request that used a nonce is handled by django-csp
    itself, unchanged; the others get the same header, built once (again when the settings change). A policy with
    a lazy directive (a report-uri given as reverse_lazy()) is left to django-csp on every response: kept, it would
    have served the first request's language and script prefix to all.
    """

    def process_response(self, request, response):
        policies = _site_policies()
        if (
            policies is None
            or getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) is not None for name in _OWN_POLICY)
        ):
            return super().process_response(request, response)
        if response.status_code in (HTTPStatus.INTERNAL_SERVER_ERROR, HTTPStatus.NOT_FOUND) and settings.DEBUG:
            return response
        # django-csp's rules, as in its process_response: a header already set, an exempt response or an excluded
        # prefix is left alone.
        policy, report_only = policies
        for header, value, exempt, setting in (
            (HEADER, policy, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, report_only, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            if not value or header in response or getattr(response, exempt, False) is not False:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = value
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
