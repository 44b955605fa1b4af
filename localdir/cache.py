"""Whole-page caching for anonymous visitors of public pages, and the near-static data every page shows (filter
choices, the Mag's latest articles, listing cards…), both dropped at once when what they show changes; and the
Cache-Control header every response carries, so that a reverse proxy in front caches the same pages and no other.
"""

import time
from contextvars import ContextVar
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_page

from localdir import slots
from localdir.db_router import reading_public_pages

GENERATION_KEY = "public-pages-generation"
# When the public data last changed (a Unix time), for the public API's Last-Modified; forgotten after an hour, so
# that a change made behind the models' back (a queryset update) is never hidden longer by a 304.
CHANGED_AT_KEY = "public-pages-changed-at"
CHANGED_AT_SECONDS = 3600
# How a view's response may be cached outside the site, set on the request by the decorators below.
POLICY = "_localdir_cache_policy"
PUBLIC, SHARED_NEVER, PERSONAL = "public", "shared-never", "personal"
# How long a process may keep data computed by cached_data(), even without any change: a change made behind the
# models' back (a queryset update, another process on a local-memory cache) shows after at most this long.
DATA_SECONDS = 60
# What cached_data() read from the cache, kept by each process for LOCAL_SECONDS as well: reading a value from the
# cache unpickles it (the 101 departments, model instances, took ~0.5 ms of each department page). The entry holds
# the generation it was read under, so invalidate_public_pages() still shows at once; a change made behind the
# models' back shows LOCAL_SECONDS later at most. {name: (key, value, deadline)}: one entry per name.
LOCAL_SECONDS = 5
_local = {}
_MISSING = object()
# The generation as the current request first read it, which the rest of the request reuses: each read is a look-up
# in the shared cache (a round trip to Redis in production), and a filtered page read it 16 times. Kept only between
# Django's request_started and request_finished (outside a request, a command or a shell reads it each time). The
# page is then rendered from one generation throughout; an invalidation made by the request itself (after its
# commit) shows in the rest of it. A context variable holding the request's _Held (None outside a request), not
# asgiref's Local: each read of a Local attribute cost ~16,000 instructions (three Python calls and a lock, callgrind),
# against ~100 for ContextVar.get(), and a page read it once per cached part (11 times on home, 15 on a department).
# Local is itself a context variable in sync and async code alike (asgiref carries its changes back from
# sync_to_async), so requests are kept apart as before.
_request = ContextVar("localdir.cache.request", default=None)


class _Held:
    """The generation one request read (None until read, or after the request's own invalidation), while `open`."""

    __slots__ = ("generation", "open")

    def __init__(self):
        self.generation, self.open = None, True


@lru_cache(maxsize=64)
def _cached_view(view, seconds, generation, slots_key):
    # slots_key: the form of the slots' markers (localdir.slots.PAGE_KEY): a page cached by a version that wrote
    # them otherwise is not served, no cache to clear at an upgrade.
    return cache_page(seconds, key_prefix=f"page.{slots_key}.{generation}")(view)


def _generation():
    held = _request.get()
    if held is not None and held.open and held.generation is not None:
        return held.generation
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # The first request after a flush (or an eviction) starts a generation no page was ever cached under.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    if held is not None and held.open:
        held.generation = generation
    return generation


def _request_started(**kwargs):
    _request.set(_Held())


def _request_finished(**kwargs):
    # Closed as well as forgotten: a context copied during the request (a thread started with it) holds the same
    # _Held, and must not keep this request's generation past it.
    held = _request.get()
    if held is not None:
        held.open, held.generation = False, None
    _request.set(None)


request_started.connect(_request_started, dispatch_uid="localdir.cache.request_started")
request_finished.connect(_request_finished, dispatch_uid="localdir.cache.request_finished")


def generation():
    """The public pages' current generation: data cached beside them (the maps' grid) is keyed on it too."""
    return _generation()


def _bump():
    held = _request.get()
    if held is not None:
        held.generation = None
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet, or evicted
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    cache.set(CHANGED_AT_KEY, int(time.time()), timeout=CHANGED_AT_SECONDS)


def changed_at():
    """When the public pages were last invalidated (a Unix time in whole seconds): what they show changed then.

    Unknown after a cache flush, an eviction or an hour: then now, which is never too early (a client asking
    "changed since?" downloads again, at worst once more than needed).
    """
    cache.add(CHANGED_AT_KEY, int(time.time()), timeout=CHANGED_AT_SECONDS)
    return cache.get(CHANGED_AT_KEY) or int(time.time())


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

    The response says the same to the browser and to a reverse proxy (CacheHeadersMiddleware): `public` for as
    long when it came from here, `private` when it was rendered for a visitor with cookies.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or set(request.COOKIES) - {settings.CSRF_COOKIE_NAME} or request.method not in ("GET", "HEAD"):
            setattr(request, POLICY, SHARED_NEVER)
            return view(request, *args, **kwargs)
        setattr(request, POLICY, PUBLIC)
        with reading_public_pages():
            return _cached_view(view, seconds, _generation(), slots.PAGE_KEY)(request, *args, **kwargs)

    return wrapper


def private_page(view):
    """Never stored by any cache, the browser's included: pages behind a private link (the link is the key)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        setattr(request, POLICY, PERSONAL)
        return view(request, *args, **kwargs)

    return wrapper


def _personal(request, response):
    """The response holds what is someone's own: a CSRF token (every page with a form), a cookie it sets, a session
    (volunteers in the admin), or a private link's page."""
    return (
        getattr(request, POLICY, None) == PERSONAL
        or "CSRF_COOKIE_NEEDS_UPDATE" in request.META  # get_token() was called: the page carries a token
        or bool(response.cookies)
        or settings.SESSION_COOKIE_NAME in request.COOKIES
    )


def _drop_vary(response, header):
    """Public pages take their language from the URL (French at the root, /en/…), never from the browser:
    LocaleMiddleware's `Vary: Accept-Language` would only make a proxy keep one copy per browser language string."""
    kept = [v.strip() for v in response.get("Vary", "").split(",") if v.strip() and v.strip().lower() != header.lower()]
    if kept:
        response["Vary"] = ", ".join(kept)
    else:
        response.headers.pop("Vary", None)


class CacheHeadersMiddleware:
    """Cache-Control for a reverse proxy or CDN in front of the site (docs/deployment.md, nginx's proxy_cache).

    - `public, max-age=PAGE_CACHE_SECONDS` on the public pages and map data served to visitors without cookies
      (public_page), the very responses the page cache shares between them, varying on the encoding only;
    - `private, no-store` on anything personal (_personal), whatever a view said before: no shared cache may keep
      a form's CSRF token, a volunteer's page or a private link's, and no browser cache either;
    - `private` on a public page rendered for a visitor with cookies (it may show their flash message);
    - nothing else: without Cache-Control a proxy configured as documented stores nothing.

    Placed below ConditionalGetMiddleware, which then adds an ETag (and answers 304 to If-None-Match) to all but
    the `no-store` responses.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(request, POLICY, None)
        if _personal(request, response):
            if "no-store" not in response.get("Cache-Control", ""):
                response.headers.pop("Expires", None)
                response["Cache-Control"] = "private, no-store"
        elif policy == PUBLIC and response.status_code == 200:
            patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_SECONDS)
            _drop_vary(response, "Accept-Language")
        elif policy == SHARED_NEVER:
            patch_cache_control(response, private=True)
        return response


def cached_data(name, compute, timeout=DATA_SECONDS):
    """`compute()`, computed once and kept in the cache until invalidate_public_pages() (or `timeout` seconds).

    For what every public page shows and seldom changes: one cache look-up instead of queries and model
    instances on each page a visitor misses in the page cache. `name` says what the value depends on besides the
    database (a department's code, the language); `compute` returns a value the cache can pickle. The value is
    shared by the requests of a process (see _local): callers must not change it.
    """
    key = f"data.{_generation()}.{name}"
    now = time.time()
    kept = _local.get(name)
    if kept is not None and kept[0] == key and kept[2] > now:
        return kept[1]
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout)
    _local[name] = (key, value, now + LOCAL_SECONDS)
    return value


def cached_values(names, compute, timeout=DATA_SECONDS):
    """{name: value} for each of `names`, from the cache in one look-up; `compute(missing names)` gives the others
    as a dict, in one go (it may fetch what they need at once). A name it leaves out is left out of the result, and
    computed again next time.

    For many small values of one page (the listing cards, the towns searched) kept like cached_data()'s, but not
    in the process besides (there are too many of them): `name` must say everything the value depends on besides
    the database, which invalidate_public_pages() covers. Each caller gets its own copy (unpickled).
    """
    prefix = f"data.{_generation()}."
    found = cache.get_many([prefix + name for name in names])
    result = {name: found[prefix + name] for name in names if prefix + name in found}
    missing = [name for name in names if name not in result]
    if missing:
        computed = compute(missing)
        cache.set_many({prefix + name: value for name, value in computed.items()}, timeout)
        result.update(computed)
    return result


def cached_fragments(names, render, timeout=DATA_SECONDS):
    """{name: HTML} for each of `names` (cached_values()): many small pieces of one page, such as the listing
    cards; `render(missing names)` renders the others in one go."""
    return cached_values(names, render, timeout)
