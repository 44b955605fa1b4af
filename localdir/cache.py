"""Whole-page caching for anonymous visitors of public pages, dropped at once when what they show changes."""

import time
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.views.decorators.cache import cache_page

GENERATION_KEY = "public-pages-generation"


@lru_cache(maxsize=64)
def _cached_view(view, seconds, generation):
    return cache_page(seconds, key_prefix=f"page.{generation}")(view)


def _generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # The first request after a flush (or an eviction) starts a generation no page was ever cached under.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _bump():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet, or evicted
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def invalidate_public_pages(using=None):
    """Stop serving every page cached so far, once the current transaction commits (at once outside one).

    After the commit: a request rendering meanwhile would otherwise read the old data and cache it under the new
    generation. Every public page is dropped, not only the changed listing's department: a town's page shows
    listings of the neighbouring departments, a listing's address carries no department, and decisions are few
    enough that the pages are soon cached again.
    """
    transaction.on_commit(_bump, using=using)


def public_page(view):
    """Serve this view from the cache for PAGE_CACHE_SECONDS when the request carries no cookie but the CSRF one.

    Any other cookie may mean a session or a flash message shown on the page: such requests are always
    rendered afresh. The CSRF cookie alone (left by any form the visitor opened) changes nothing on these
    pages, which hold no form that needs the token. Django's cache middleware also refuses to store a response that
    sets a cookie, and keys entries on the URL and the Vary headers (language, encoding). Entries are also keyed on
    a generation that invalidate_public_pages() moves on, so what is unpublished disappears at once; a change made
    behind the models' back (a queryset update) appears at worst PAGE_CACHE_SECONDS late.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or set(request.COOKIES) - {settings.CSRF_COOKIE_NAME} or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        return _cached_view(view, seconds, _generation())(request, *args, **kwargs)

    return wrapper
