"""Following an area from the directory's pages: {% load alerts_tags %}, then {% follow_head %} in <head> and
{% follow_box %} where the links and the small email form go. Both read the page's filters (its `filter`) so the
feeds carry them. producers' templates load this library by name: producers' code never imports alerts.

The directory pages are cached for every visitor: the small form carries no CSRF token, and the subscription page
it opens asks for one more click (alerts.views.subscribe). Nor does it carry the spam timer's start: the page would
differ at each rendering, and a proxy revalidating it would never get a 304.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from localdir.cache import cached_data

from ..follow import Follow

register = template.Library()


class _Shown:
    """What {% follow_head %} and {% follow_box %} show of a page's query: its Follow, title and feeds' URLs, made
    once per request (a filtered page renders both tags, and each made its own: the title's town and category, four
    reverse())."""

    def __init__(self, follow, page_filter):
        self.follow, self.page_filter = follow, page_filter

    @cached_property
    def title(self):
        return self.follow.title(self.page_filter) if self.page_filter is not None else self.follow.title()

    @cached_property
    def rss_url(self):
        return self.follow.feed_url("rss")

    @cached_property
    def atom_url(self):
        return self.follow.feed_url("atom")


def _shown(context, department, commune):
    request, page_filter = context["request"], context.get("filter")
    key = (department, commune, page_filter)
    kept = getattr(request, "_follow_shown", None)
    if kept is None or kept[0] != key:
        follow = Follow.from_request(request, department=department, commune=commune)
        kept = request._follow_shown = (key, _Shown(follow, page_filter))
    return kept[1]


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
    shown = _shown(context, department, commune)

    def render():
        return render_to_string(
            "alerts/includes/head.html", {"title": shown.title, "rss_url": shown.rss_url, "atom_url": shown.atom_url}
        )

    return _rendered("head", shown.follow, render)


@register.simple_tag(takes_context=True)
def follow_box(context, department=None, commune=None):
    """The visible feed links and the small "email me" form."""
    shown = _shown(context, department, commune)
    follow = shown.follow

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
                "title": shown.title,
                "rss_url": shown.rss_url,
                "atom_url": shown.atom_url,
                "subscribe_url": follow.subscribe_url(),
                "query_fields": fields,
            },
        )

    return _rendered("box", follow, render)
