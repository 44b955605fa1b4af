"""Following an area from the directory's pages: {% load alerts_tags %}, then {% follow_head %} in <head> and
{% follow_box %} where the links and the small email form go. Both read the page's filters (its `filter`) so the
feeds carry them. producers' templates load this library by name: producers' code never imports alerts.

The directory pages are cached for every visitor: the small form carries no CSRF token, and the subscription page
it opens asks for one more click (alerts.views.subscribe). Nor does it carry the spam timer's start: the page would
differ at each rendering, and a proxy revalidating it would never get a 304.
"""

from django import template

from ..follow import Follow

register = template.Library()


def _follow(context, department, commune):
    follow = Follow.from_request(context["request"], department=department, commune=commune)
    page_filter = context.get("filter")
    return follow, follow.title(page_filter) if page_filter is not None else follow.title()


@register.inclusion_tag("alerts/includes/head.html", takes_context=True)
def follow_head(context, department=None, commune=None):
    """<link rel="alternate"> to the RSS and Atom feeds of the page's query."""
    follow, title = _follow(context, department, commune)
    return {"follow": follow, "title": title, "rss_url": follow.feed_url("rss"), "atom_url": follow.feed_url("atom")}


@register.inclusion_tag("alerts/includes/box.html", takes_context=True)
def follow_box(context, department=None, commune=None):
    """The visible feed links and the small "email me" form."""
    follow, title = _follow(context, department, commune)
    fields = dict(follow.params)
    if commune is not None:
        fields["ville"] = commune.insee_code
    elif department is not None:
        fields["departement"] = department.code
    return {
        "follow": follow,
        "title": title,
        "rss_url": follow.feed_url("rss"),
        "atom_url": follow.feed_url("atom"),
        "subscribe_url": follow.subscribe_url(),
        "query_fields": fields,
    }
