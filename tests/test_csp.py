"""localdir.http.CSPMiddleware: django-csp's middleware with the site's policy built once per process writes the
headers django-csp's own middleware writes, on the same requests."""

import itertools

import pytest
from csp.constants import NONCE
from csp.decorators import csp, csp_exempt, csp_replace, csp_update
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse, reverse_lazy, set_script_prefix
from django.utils import translation

from localdir.http import CSPMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def page(request):
    return HttpResponse("<p>Page</p>")


def streamed(request):
    return StreamingHttpResponse(iter(["<p>", "Page", "</p>"]))


VIEWS = {
    "page": page,
    "streamed": streamed,
    "csp_exempt": csp_exempt()(page),
    "csp_update": csp_update({"img-src": ["https://img.example.org"]})(page),
    "csp_replace": csp_replace({"img-src": ["https://img.example.org"]})(page),
    "csp": csp({"default-src": ["'none'"]})(page),
    "csp_update report-only": csp_update({"img-src": ["https://ro.example.org"]}, REPORT_ONLY=True)(page),
    "csp_exempt report-only": csp_exempt(REPORT_ONLY=True)(page),
}


def headers(middleware_class, view, path, status, use_nonce, preset):
    """The CSP headers `middleware_class` writes on `view`'s response to GET `path`, the nonce (if any) as 'N'."""
    request = RequestFactory().get(path)

    def get_response(request):
        if use_nonce:
            str(request.csp_nonce)  # as a template writing {{ request.csp_nonce }}
        response = view(request)
        response.status_code = status
        if preset:
            response[HEADERS[0]] = preset
        return response

    response = middleware_class(get_response)(request)
    nonce = getattr(request, "_csp_nonce", None)
    return {
        name: response[name].replace(nonce, "N") if nonce else response[name] for name in HEADERS if name in response
    }


@pytest.mark.parametrize("report_only", [False, True], ids=["policy", "policy and report-only policy"])
def test_the_headers_are_django_csps(settings, report_only):
    if report_only:
        settings.CONTENT_SECURITY_POLICY = {
            **settings.CONTENT_SECURITY_POLICY,
            "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "script-src": ["'self'", NONCE]},
        }
        settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
            "DIRECTIVES": {"script-src": ["'self'", NONCE], "report-uri": "/csp-report/"},
            "EXCLUDE_URL_PREFIXES": ["/admin/"],
        }
    seen = set()
    for debug in (False, True):
        settings.DEBUG = debug
        for (name, view), path, status, use_nonce, preset in itertools.product(
            VIEWS.items(), ["/activites/", "/admin/"], [200, 404, 500], [False, True], [None, "default-src 'none'"]
        ):
            case = (name, path, status, debug, "nonce" if use_nonce else "", preset)
            expected = headers(DjangoCSPMiddleware, view, path, status, use_nonce, preset)
            assert headers(CSPMiddleware, view, path, status, use_nonce, preset) == expected, case
            seen.add(tuple(expected))
    # The cases differ in what django-csp writes: no header, the policy alone, both (or the report-only one alone).
    assert {(), HEADERS[:1]} <= seen
    assert (HEADERS in seen) == report_only


def test_a_nonce_is_not_written_in_the_next_responses_policy(settings):
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "script-src": ["'self'", NONCE]},
    }
    assert "'nonce-N'" in headers(CSPMiddleware, page, "/", 200, True, None)[HEADERS[0]]
    policy = headers(CSPMiddleware, page, "/", 200, False, None)[HEADERS[0]]
    assert "nonce" not in policy
    assert "script-src 'self'" in policy


@pytest.mark.django_db
def test_a_lazy_report_uri_follows_the_language_and_script_prefix(settings):
    """A report-uri given as reverse_lazy() is the request's URL, as django-csp writes it, not the first one's."""
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": {
            **settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
            "report-uri": reverse_lazy("producers:listing", kwargs={"slug": "rapport"}),
        },
    }
    client = Client()

    def report_uri(path):
        policy = client.get(path)["Content-Security-Policy"]
        return dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())["report-uri"]

    try:
        for prefix, language, path in [
            ("/", "en", "/en/nowhere/"),
            ("/", "fr", "/nulle-part/"),
            ("/annuaire/", "fr", "/nulle-part/"),
            ("/annuaire/", "en", "/en/nowhere/"),
        ]:
            set_script_prefix(prefix)
            with translation.override(language):
                expected = reverse("producers:listing", kwargs={"slug": "rapport"})
            assert report_uri(path) == expected, (prefix, language)
    finally:
        set_script_prefix("/")
