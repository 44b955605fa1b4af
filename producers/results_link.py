"""The way back from a listing to the filtered list it was opened from, without JavaScript and without a cookie.

A list page's cards link to the listing with `?depuis=<the list's path and query>`; the listing page shows "Back to
the results" to that list. The value comes from the address bar, so it is only ever trusted once rebuilt: the path
must be one of our list pages (a department's, a town's, the map of France) and the query only their filters, else it
is dropped (no open redirect, and no page cached under whatever a link carries: the listing view redirects).

Not from document.referrer: a core flow must work without JavaScript, and the public page cache cannot vary on the
Referer header.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit

from django.urls import Resolver404, resolve

from .filters import ListingFilter

PARAM = "depuis"
LIST_VIEWS = {"producers:department", "producers:commune", "producers:france_map"}
# The list pages' filters, the town box's hidden code and the page number; nothing else is carried.
KEYS = {*ListingFilter.base_filters, "commune_code", "page"}
# Longer than any list address the filter form makes (a search of 200 characters and all the filters).
MAX_LENGTH = 600
# What the cached cards (producers.cards) hold where their link's query goes: filled in for each page.
HOLE = "\ue000results\ue000"


def card_query(request):
    """What a list page's cards add to their links: `?depuis=…`, or "" on an unfiltered department or town page,
    which the listing's breadcrumb already leads back to (one cached listing page fewer for most visits)."""
    pairs = [(key, value) for key, values in request.GET.lists() if key in KEYS for value in values if value]
    if not pairs and resolve(request.path).view_name != "producers:france_map":
        return ""
    origin = f"{request.path}?{urlencode(pairs)}" if pairs else request.path
    return "?" + urlencode({PARAM: origin})


def results_url(value):
    """The list address `value` names, rebuilt from what is allowed in it; None if it is not one of our list pages."""
    if not value or len(value) > MAX_LENGTH:
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.fragment or not parts.path.startswith("/"):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name not in LIST_VIEWS:
        return None
    pairs = parse_qsl(parts.query)
    if any(key not in KEYS for key, _ in pairs):
        return None
    return f"{parts.path}?{urlencode(pairs)}" if pairs else parts.path
