"""Following an area from the directory's pages: {% load alerts_tags %}, then {% follow_head %} in <head> and
{% follow_box %} where the links and the small email form go. Both read the page's filters (its `filter`) so the
feeds carry them. producers' templates load this library by name: producers' code never imports alerts.

The directory pages are cached for every visitor: the small form carries no CSRF token, and the subscription page
it opens asks for one more click (alerts.views.subscribe). Nor does it carry the spam timer's start: the page would
differ at each rendering, and a proxy revalidating it would never get a 304.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from localdir.cache import cached_data

from ..follow import Follow

register = template.Library()


def _follow(context, department, commune):
    return Follow.from_request(context["request"], department=department, commune=commune)


def _title(context, follow):
    page_filter = context.get("filter")
    return follow.title(page_filter) if page_filter is not None else follow.title()


def _rendered(name, follow, render):
    """render()'s HTML; the same for every visitor of a page without followed filters (its department's, its
    town's, all of France), whatever else the query holds: rendered once per page and language then, and kept
    with the cached data (localdir.cache). Their URLs, translations and titles cost up to ~1 ms of each directory
    page otherwise."""
    if follow.params:
        return render()
    place = follow.commune or follow.department
    scope = f"{type(place).__name__}.{place.pk}" if place is not None else "france"
    return mark_safe(cached_data(f"follow.{name}.{scope}.{get_language()}", render))


@register.simple_tag(takes_context=True)
def follow_head(context, department=None, commune=None):
    """<link rel="alternate"> to the RSS and Atom feeds of the page's query."""
    follow = _follow(context, department, commune)

    def render():
        return render_to_string(
            "alerts/includes/head.html",
            {"title": _title(context, follow), "rss_url": follow.feed_url("rss"), "atom_url": follow.feed_url("atom")},
        )

    return _rendered("head", follow, render)


@register.simple_tag(takes_context=True)
def follow_box(context, department=None, commune=None):
    """The visible feed links and the small "email me" form."""
    follow = _follow(context, department, commune)

    def render():
        fields = dict(follow.params)
        if commune is not None:
            fields["ville"] = commune.insee_code
        elif department is not None:
            fields["departement"] = department.code
        return render_to_string(
            "alerts/includes/box.html",
            {
                "follow": follow,
                "title": _title(context, follow),
                "rss_url": follow.feed_url("rss"),
                "atom_url": follow.feed_url("atom"),
                "subscribe_url": follow.subscribe_url(),
                "query_fields": fields,
            },
        )

    return _rendered("box", follow, render)
