"""What every answer of the public API shares: the per-address rate limit, the licence, the caching headers, the
cursor of paginated lists and the refusals (400) that say which parameter to fix."""

import re
import time
from base64 import urlsafe_b64decode, urlsafe_b64encode
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from ninja import Router

from localdir.cache import changed_at, public_page
from producers.exports import licence


class Refused(Exception):
    """A request the API answers with 400 and what to change: `detail`, and per parameter `errors`."""

    def __init__(self, detail, errors=None, choices=None):
        super().__init__(detail)
        self.body = {"detail": detail}
        if errors:
            self.body["errors"] = errors
        if choices:
            self.body["choices"] = choices


# The key of a route's openapi_extra naming its answer's media type (API.get_openapi_schema writes it in).
MEDIA_TYPE = "x-media-type"


class ReadRouter(Router):
    """Routes of a read-only API: each GET route also answers HEAD (the same headers, no body; RFC 9110), as every
    page of the site does. `media_type` names an answer that is not application/json (GeoJSON, JSON-LD)."""

    def get(self, path, *, media_type=None, **kwargs):
        if media_type:
            kwargs["openapi_extra"] = {**kwargs.get("openapi_extra", {}), MEDIA_TYPE: media_type}
        return self.api_operation(["GET", "HEAD"], path, **kwargs)


def in_french(handler):
    """An exception handler answering in French whatever the browser asks, as endpoint() does for the views."""

    @wraps(handler)
    def wrapper(request, error):
        with translation.override(settings.LANGUAGE_CODE):
            return handler(request, error)

    return wrapper


def licence_link():
    return f'<{settings.OPEN_DATA_LICENCE_URL}>; rel="license"; title="{settings.OPEN_DATA_LICENCE}"'


def _follows_the_clock(request):
    """The answer changes with the time of day, not with any stored change: "open now" and "when" (the filters,
    the map's labels). Only its ETag, computed from the body, may then say it is unchanged (docs/deployment.md)."""
    open_now = request.GET.get("open_now", "").strip().lower() not in ("", "0", "false", "no", "off")
    return open_now or bool(request.GET.get("when", "").strip()) or request.path.endswith("/map")


def _with_headers(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        # Read before the data: a change committed while the view reads moves changed_at past this value, so the
        # client's next If-Modified-Since is answered in full. Whole seconds: when the last change happened in
        # this very second another may follow within it, unseen by a date; the answer then has no Last-Modified
        # (its ETag, from the body, still gives 304s).
        changed = changed_at()
        dated = changed < int(time.time())
        response = view(request, *args, **kwargs)
        response["Link"] = licence_link()
        if response.status_code == 200 and dated and not _follows_the_clock(request):
            # What any answer shows changed then at the latest (localdir.cache): a client asking again with
            # If-Modified-Since gets 304 until the next publication, withdrawal or edit anywhere.
            response["Last-Modified"] = http_date(changed)
        return response

    return wrapper


def too_many_requests(usage):
    seconds = max(int(usage["time_left"]), 1)
    response = JsonResponse(
        {"detail": _("Too many requests from your address: try again in %(seconds)s seconds.") % {"seconds": seconds}},
        status=429,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(seconds)
    response["Link"] = licence_link()
    return response


def endpoint(view):
    """A public API view: counted against the address's API_RATE_LIMIT (429 with Retry-After past it), in French
    whatever the browser asks (the same bytes for everyone: URLs, names, messages), cached like the public pages
    (localdir.cache.public_page: invalidated on every change) and carrying the licence and Last-Modified. The
    ETag and the 304 (to GET and HEAD) come from localdir.http.ConditionalGetMiddleware, CORS from
    django-cors-headers (settings)."""
    cached = public_page(_with_headers(view))

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        usage = get_usage(request, group="api", key="ip", rate=settings.API_RATE_LIMIT, increment=True)
        if usage is not None and usage["should_limit"]:
            return too_many_requests(usage)
        with translation.override(settings.LANGUAGE_CODE):
            response = cached(request, *args, **kwargs)
        return response

    return wrapper


CURSOR = re.compile(r"^[A-Za-z0-9_-]{1,200}$")


def encode_cursor(value):
    return urlsafe_b64encode(str(value).encode()).decode().rstrip("=")


def decode_cursor(cursor):
    """The value a cursor holds ("" without one); Refused if it was not made by encode_cursor()."""
    if not cursor:
        return ""
    try:
        if not CURSOR.match(cursor):
            raise ValueError(cursor)
        return urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except ValueError:
        raise Refused(_("This cursor is not valid: follow the next links."), {"cursor": [cursor[:50]]}) from None


def next_url(request, value):
    """This request's URL with the cursor moved on to `value`."""
    params = request.GET.copy()
    params["cursor"] = encode_cursor(value)
    return f"{settings.SITE_URL}{request.path}?{params.urlencode()}"


def with_licence(data):
    return {"licence": licence(), **data}
