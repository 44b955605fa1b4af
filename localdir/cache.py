"""Whole-page caching for anonymous visitors of public pages."""

from functools import cache, wraps

from django.conf import settings
from django.views.decorators.cache import cache_page


@cache
def _cached_view(view, seconds):
    return cache_page(seconds, key_prefix="page")(view)


def public_page(view):
    """Serve this view from the cache for PAGE_CACHE_SECONDS when the request carries no cookie but the CSRF one.

    Any other cookie may mean a session or a flash message shown on the page: such requests are always
    rendered afresh. The CSRF cookie alone (left by any form the visitor opened) changes nothing on these
    pages, which hold no form that needs the token. Django's cache middleware also refuses to store a response that sets
    a cookie, and keys entries on the URL and the Vary headers (language, encoding). Public pages show only
    published data, so at worst a change appears PAGE_CACHE_SECONDS late.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or set(request.COOKIES) - {settings.CSRF_COOKIE_NAME} or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        return _cached_view(view, seconds)(request, *args, **kwargs)

    return wrapper
