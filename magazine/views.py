"""The Mag's public pages, and the editors' preview. Only published articles are ever shown to the public."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from producers import hours
from producers.models import Listing

from .filters import ArticleFilter
from .models import Article

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
    listings = Listing.objects.published().select_related("commune__department").prefetch_related("categories")
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
