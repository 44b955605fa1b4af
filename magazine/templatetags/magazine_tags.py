"""The Mag's content on other apps' pages: {% load magazine_tags %} then one of the tags below.

producers' templates load this library by name, so producers' code never imports the Mag.
"""

from django import template

from magazine.models import Article, DepartmentNotice

register = template.Library()


@register.inclusion_tag("magazine/includes/latest_articles.html", takes_context=True)
def latest_articles(context, department=None, limit=4):
    """The latest published articles; for a department, its own and the national ones."""
    articles = Article.objects.published()
    if department is not None:
        articles = articles.for_department(department)
    return {
        "articles": list(articles.prefetch_related("categories")[:limit]),
        "department": department,
        "request": context.get("request"),
    }


@register.inclusion_tag("magazine/includes/notices.html")
def department_notices(department):
    """Articles pinned on this department's page whose end date has not passed."""
    notices = DepartmentNotice.objects.current().filter(department=department).select_related("article")
    return {"notices": notices.order_by("-article__published_at", "-pk"), "department": department}


@register.inclusion_tag("magazine/includes/head.html")
def magazine_head(department=None):
    """For <head>: the Mag's stylesheet and <link rel="alternate"> to its feeds (the department's too, if given)."""
    return {"department": department}
