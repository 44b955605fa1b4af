from django import template
from django.urls import reverse, translate_url
from django.utils import translation

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
