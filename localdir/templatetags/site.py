from urllib.parse import unquote_plus, urlencode

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse, translate_url
from django.utils import translation
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.safestring import mark_safe

from localdir import slots
from localdir.cache import cached_data
from localdir.reversing import reverse_with_slug

register = template.Library()

# Query parameters whose value is an address on this site (producers.results_link's `depuis`, registered by its
# app), carried by the language switch in the other language: {name: function(value, language) giving that address
# in the language, or None to leave the parameter out}. They go last, after the rest of the query.
TRANSLATED_PARAMS = {}


# {(path, language, script prefix, URLconf, resolved): that path in the language}: what _path_in() found, for each
# page's address. Filled for each HTML page (localdir.slots), a page served from the page cache included, it costs
# ~200,000 instructions a page by callgrind (the language activated and restored, reverse()'s look-ups), a
# department page's cache hit ~7 % (perf-shell3). A page's address in another language depends on nothing else: the
# URLconf and its translations are the process's. Emptied past PATHS_KEPT addresses, which visitors choose.
_paths = {}
PATHS_KEPT = 4096


def _path_in(request, language):
    """This page's path in `language`, from the URL pattern the request was resolved to (the URLconf is not searched
    again, ~60 µs of every page), or as it is when it has none there."""
    match = request.resolver_match
    key = (request.path, language, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, match is None)
    path = _paths.get(key)
    if path is not None:
        return path
    path = escape_uri_path(request.path)
    if match is None:  # an error page rendered outside the view
        path = translate_url(path, language)
    else:
        with translation.override(language):
            try:
                path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                pass
    if len(_paths) >= PATHS_KEPT:
        _paths.clear()
    _paths[key] = path
    return path


def _translated(request, language, query):
    """translate_url() of this page with `query`, and the page's own address with it (the same when this page has no
    address in `language`)."""
    query = f"?{iri_to_uri(query)}" if query else ""
    return _path_in(request, language) + query, escape_uri_path(request.path) + query


def translated_url(request, language):
    """This page's URL in another language (same query string, its addresses in that language too); that language's
    home page if it has none. The language switch's slot (templates/site/language_switch.html), filled for each
    request: a page cached once for the lists it is reached from (a listing's) names each visitor's own. None for a
    language the site has not: the slot's argument may come from a visitor (a marker in their text), and each language
    translation.override() is given is kept by Django for the process's life."""
    if language not in dict(settings.LANGUAGES):
        return None
    query = request.META.get("QUERY_STRING", "")
    moved = []
    if query and TRANSLATED_PARAMS:
        kept = []
        for pair in query.split("&"):
            name, _, value = pair.partition("=")
            translate = TRANSLATED_PARAMS.get(unquote_plus(name))
            if translate is None:
                kept.append(pair)
            elif (there := translate(unquote_plus(value), language)) is not None:
                moved.append((unquote_plus(name), there))
        query = "&".join(kept)
    url, full_path = _translated(request, language, query)
    if url == full_path:
        with translation.override(language):
            url = reverse("producers:home")
    if moved:
        url += ("&" if "?" in url else "?") + urlencode(moved)
    return url


slots.register("language", translated_url)


@register.simple_tag
def slug_url(viewname, slug):
    """{% url viewname slug %} for a URL pattern ending in <slug:slug>, reversed once per view and language
    (localdir.reversing)."""
    return reverse_with_slug(viewname, slug)


@register.simple_tag
def slot(name, arg=""):
    """Where slot `name` (localdir.slots) is written for each request."""
    return slots.marker(slots.VALUE, name, arg)


class SlotSectionNode(template.Node):
    def __init__(self, name, arg, nodelist):
        self.name, self.arg, self.nodelist = name, arg, nodelist

    def render(self, context):
        name, arg = self.name.resolve(context), self.arg.resolve(context) if self.arg else ""
        return slots.marker(slots.START, name, arg) + self.nodelist.render(context) + slots.marker(slots.END, name, arg)


@register.tag
def slot_section(parser, token):
    """{% slot_section "name" ["arg"] %}…{% endslot_section %}: shown to the requests slot `name` has a value for."""
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError(f"{bits[0]} takes a slot's name and, optionally, its argument")
    nodelist = parser.parse(("endslot_section",))
    parser.delete_first_token()
    arg = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    return SlotSectionNode(parser.compile_filter(bits[1]), arg, nodelist)


@register.simple_tag
def language_switch():
    """The language switch: the same for every page of a language but for its links to this page in the others,
    slots filled for each request (translated_url). Its loop over the languages, their names and translations cost
    each page about as much as the rest of base.html."""
    return chrome("site/language_switch.html")


@register.simple_tag
def chrome(template_name, current=""):
    """A part of every page that depends on the language only (templates/site/: the stylesheet and icons, the main
    menu, the footer), rendered once per language and kept with the cached data: its URLs, static file names and
    translations took a fifth of a listing page's rendering. The main menu is kept once per link it marks current
    too (a handful)."""
    language = translation.get_language()
    return mark_safe(
        cached_data(
            # The language switch holds slots: kept under their markers' form (localdir.slots.PAGE_KEY).
            f"chrome.{slots.PAGE_KEY}.{template_name}.{language}.{current}",
            lambda: render_to_string(template_name, {"SITE_NAME": settings.SITE_NAME, "current": current}),
        )
    )


# The main menu's links (templates/site/nav.html) and the pages they belong to, by URL name: the link to the page
# shown says so (aria-current="page"), the link to the section holding it too (aria-current="true"), for screen
# readers and by its style.
MENU_PAGES = {"magazine:index": "mag", "moderation:submit": "register"}
MENU_SECTIONS = {
    "magazine:article": "mag",
    "producers:department": "departments",
    "producers:commune": "departments",
    "producers:listing": "departments",
    "producers:department_markets": "departments",
    "producers:department_market_week": "departments",
}


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The main menu, its link to this page (or to this page's section) marked."""
    match = getattr(context.get("request"), "resolver_match", None)
    view = match.view_name if match else ""
    if view in MENU_PAGES:
        current = f"{MENU_PAGES[view]}:page"
    elif view in MENU_SECTIONS:
        current = f"{MENU_SECTIONS[view]}:true"
    else:
        current = ""
    return chrome("site/nav.html", current)
