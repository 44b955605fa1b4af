from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from localdir.cache import cached_data

register = template.Library()


def _translated(request, language):
    """translate_url(request.get_full_path(), language), from the URL pattern the request was resolved to: the
    URLconf is not searched again (~60 µs of every page)."""
    match = request.resolver_match
    if match is None:  # an error page rendered outside the view
        return translate_url(request.get_full_path(), language)
    with translation.override(language):
        try:
            path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return request.get_full_path()
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{iri_to_uri(query)}" if query else path


@register.simple_tag(takes_context=True)
def translated_url(context, language):
    """This page's URL in another language (same query string); that language's home page if it has none."""
    request = context.get("request")
    if request is not None:
        url = _translated(request, language)
        if url != request.get_full_path():
            return url
    with translation.override(language):
        return reverse("producers:home")


# Where the language switch (templates/site/language_switch.html, cached per language) takes this page's address in
# another language: a character no URL nor translation holds.
_SLOT = "\x00{}\x00"


@register.simple_tag
def translated_url_slot(language):
    return mark_safe(_SLOT.format(language))


@register.simple_tag(takes_context=True)
def language_switch(context):
    """The language switch: the same for every page of a language but for its links to this page in the others,
    written into the copy rendered once per language. Its loop over the languages, their names and translations
    cost each page about as much as the rest of base.html."""
    html = chrome("site/language_switch.html")
    for language, _ in settings.LANGUAGES:
        slot = _SLOT.format(language)
        if slot in html:
            html = html.replace(slot, conditional_escape(translated_url(context, language)))
    return mark_safe(html)


@register.simple_tag
def chrome(template_name, current=""):
    """A part of every page that depends on the language only (templates/site/: the stylesheet and icons, the main
    menu, the footer), rendered once per language and kept with the cached data: its URLs, static file names and
    translations took a fifth of a listing page's rendering. The main menu is kept once per link it marks current
    too (a handful)."""
    language = translation.get_language()
    return mark_safe(
        cached_data(
            f"chrome.{template_name}.{language}.{current}",
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
