"""The way back from a listing to the filtered list it was opened from, without JavaScript and without a cookie.

A list page's cards link to the listing with `?depuis=<the list's path and query>`; the listing page shows "Back to
the results" to that list. The value comes from the address bar, so it is only ever trusted once rebuilt: the path
must be one of our list pages (a department's, a town's, the map of France) and the query only their filters, else
the listing page redirects to its address without it (no open redirect).

The listing page is cached once for all the lists it is reached from (`remembered`): each filtered list, each page
of a list and the map of France name another `depuis`, and a page cached for each of them was nearly always a miss.
The way back is a slot of that one copy ("results", localdir.slots), written in for each request after the page
cache; the language switch carries `depuis` too, translated (TRANSLATED_PARAMS).

Not from document.referrer: a core flow must work without JavaScript, and the public page cache cannot vary on the
Referer header.
"""

from functools import wraps
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit

from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation

from localdir import slots
from localdir.templatetags.site import TRANSLATED_PARAMS

from . import reference, towns
from .filters import ListingFilter

PARAM = "depuis"
LIST_VIEWS = {"producers:department", "producers:commune", "producers:france_map"}
# The list pages' filters, the town box's hidden code and the page number; nothing else is carried.
KEYS = {*ListingFilter.base_filters, "commune_code", "page"}
# Longer than any list address the filter form makes (a search of 200 characters and all the filters).
MAX_LENGTH = 600
# What the cached cards (producers.cards) hold where their link's query goes: filled in for each page.
HOLE = "\ue000results\ue000"
# The slot of the listing page (templates/producers/listing.html) that holds the way back, and where the request
# keeps the list it names for it.
SLOT = "results"
URL_ATTRIBUTE = "results_url"


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
    # Else every made-up code would be a back link to a 404, and every made-up name one to a page named so in its
    # address. Our list pages print the current slugs.
    if match.view_name == "producers:department":
        department = reference.department_by_code().get(match.kwargs["code"])
        if department is None or department.slug != match.kwargs["slug"]:
            return None
    if match.view_name == "producers:commune":
        commune = towns.commune_by_insee(match.kwargs["insee_code"])  # cached as the towns searched are
        if commune is None or commune.slug != match.kwargs["slug"]:
            return None
    pairs = parse_qsl(parts.query)
    if any(key not in KEYS for key, _ in pairs):
        return None
    return f"{parts.path}?{urlencode(pairs)}" if pairs else parts.path


def remembered(view):
    """The listing view, `depuis` left out of its page cache's key (wrap the public_page() view) and written in after.

    A value other than the one our list pages print (missing pieces, a second `depuis`, anything else) is answered
    with a redirect (302, never cached) to the address with the tidy value or none, the other parameters kept.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        values = request.GET.getlist(PARAM)
        url = results_url(values[-1]) if values else None
        if values and values != [url]:
            query = request.GET.copy()
            del query[PARAM]
            if url:
                query[PARAM] = url
            return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
        setattr(request, URL_ATTRIBUTE, url)
        if not values:
            return view(request, *args, **kwargs)
        kept_query, kept_get = request.META.get("QUERY_STRING", ""), request.GET
        request.META["QUERY_STRING"] = "&".join(
            pair for pair in kept_query.split("&") if unquote_plus(pair.partition("=")[0]) != PARAM
        )
        request.GET = QueryDict(request.META["QUERY_STRING"], encoding=request.encoding)
        try:
            return view(request, *args, **kwargs)
        finally:
            request.META["QUERY_STRING"], request.GET = kept_query, kept_get

    return wrapper


def _results_url(request, arg):
    """The way back for this request (the "results" slot): the list `remembered` kept, None without one."""
    return getattr(request, URL_ATTRIBUTE, None)


def _in_language(value, language):
    """The list `value` names, in `language` (its path's, the filters being the same), for the language switch; None if
    that language has no such list."""
    there = translate_url(value, language)
    with translation.override(language):
        return there if results_url(there) == there else None


def register():
    """The way back's slot and `depuis` in the language switch (from the app's ready())."""
    slots.register(SLOT, _results_url)
    TRANSLATED_PARAMS[PARAM] = _in_language
