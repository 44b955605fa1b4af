from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.safestring import mark_safe

from localdir.cache import cached_data

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_url(context, language):
    """This page's URL in another language (same query string); that language's home page if it has none."""
    request = context.get("request")
    if request is not None:
        url = translate_url(request.get_full_path(), language)
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
