"""The Mag's public pages, and the editors' preview. Only published articles are ever shown to the public."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from localdir.cache import public_page
from producers import hours
from producers.models import Listing

from .filters import ArticleFilter
from .models import Article, SitePage

ARTICLES_PER_PAGE = 12
RELATED_ARTICLES = 3


def article_list(request):
    filterset = ArticleFilter(request.GET, queryset=Article.objects.published())
    articles = filterset.qs.prefetch_related("categories")
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    form = filterset.form
    department = form.cleaned_data.get("departement") if form.is_valid() else None
    return render(
        request,
        "magazine/article_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "articles": page.object_list,
            "query_string": query.urlencode(),
            "feed_department": department,
        },
    )


def _article_queryset():
    listings = (
        Listing.objects.published()
        .select_related("commune__department")
        .prefetch_related("categories")
        .with_current_closures()
    )
    return Article.objects.prefetch_related(
        "categories", "departments", Prefetch("listings", queryset=listings.order_by("name"))
    )


def _render_article(request, article, preview=False):
    now = timezone.now()
    listings = hours.attach_statuses(list(article.listings.all()), now)
    related = Article.objects.published(now).related_to(article).prefetch_related("categories")[:RELATED_ARTICLES]
    departments = list(article.departments.all())
    context = {
        "article": article,
        "listings": listings,
        "related": related,
        "preview": preview,
        "feed_department": departments[0] if len(departments) == 1 else None,
    }
    response = render(request, "magazine/article_detail.html", context)
    if preview:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def article_detail(request, slug):
    article = get_object_or_404(_article_queryset().published(), slug=slug)
    return _render_article(request, article)


def _get_article_for_editor(request, pk):
    """Any article, draft or scheduled, for staff allowed to view the Mag's articles; a 404 for anyone else."""
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("magazine.view_article")):
        raise Http404
    return get_object_or_404(_article_queryset(), pk=pk)


@never_cache
def article_preview(request, pk):
    return _render_article(request, _get_article_for_editor(request, pk), preview=True)


@require_safe
@public_page
def site_page(request, slug):
    page = get_object_or_404(SitePage, slug=slug)
    body_html, body_language = page.translated_body_html
    context = {"page": page, "body_html": body_html, "body_language": body_language}
    if slug == SitePage.LEGAL:
        context["legal"] = {
            "publisher": settings.SITE_PUBLISHER,
            "publisher_address": settings.SITE_PUBLISHER_ADDRESS,
            "director": settings.SITE_PUBLICATION_DIRECTOR,
            "contact_email": settings.SITE_CONTACT_EMAIL,
            "host": settings.SITE_HOST,
            "host_address": settings.SITE_HOST_ADDRESS,
        }
    if slug == SitePage.CONTACT:
        context["contact_email"] = settings.SITE_CONTACT_EMAIL
    return render(request, "magazine/site_page.html", context)
