from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.encoding import iri_to_uri
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


@register.simple_tag
def chrome(template_name):
    """A part of every page that depends on the language only (templates/site/: the stylesheet and icons, the main
    menu, the footer), rendered once per language and kept with the cached data: its URLs, static file names and
    translations took a fifth of a listing page's rendering."""
    language = translation.get_language()
    return mark_safe(
        cached_data(
            f"chrome.{template_name}.{language}",
            lambda: render_to_string(template_name, {"SITE_NAME": settings.SITE_NAME}),
        )
    )
