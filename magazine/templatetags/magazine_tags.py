"""The Mag's content on other apps' pages: {% load magazine_tags %} then one of the tags below.

producers' templates load this library by name, so producers' code never imports the Mag.

The articles and notices shown on every directory page are rendered once per department and language and kept
in the cache (localdir.cache.cached_data), dropped when an article, a notice or a category changes
(magazine.signals). A scheduled article, or a notice whose end date passes, shows or goes within DATA_SECONDS.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from localdir.cache import cached_data
from magazine.models import Article, DepartmentNotice

register = template.Library()


def _cached_fragment(name, department, render):
    key = f"mag.{name}.{department.pk if department is not None else 'france'}.{get_language()}"
    return mark_safe(cached_data(key, render))


@register.simple_tag
def latest_articles(department=None, limit=4):
    """The latest published articles; for a department, its own and the national ones."""

    def render():
        articles = Article.objects.published()
        if department is not None:
            articles = articles.for_department(department)
        context = {"articles": list(articles.prefetch_related("categories")[:limit]), "department": department}
        return render_to_string("magazine/includes/latest_articles.html", context)

    return _cached_fragment(f"latest.{limit}", department, render)


@register.simple_tag
def department_notices(department):
    """Articles pinned on this department's page whose end date has not passed."""

    def render():
        notices = DepartmentNotice.objects.current().filter(department=department).select_related("article")
        context = {"notices": notices.order_by("-article__published_at", "-pk"), "department": department}
        return render_to_string("magazine/includes/notices.html", context)

    return _cached_fragment("notices", department, render)


@register.inclusion_tag("magazine/includes/head.html")
def magazine_head(department=None):
    """For <head>: the Mag's stylesheet and <link rel="alternate"> to its feeds (the department's too, if given)."""
    return {"department": department}
