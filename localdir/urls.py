from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.generic import RedirectView

from localdir.views import health
from producers.api import api
from producers.embed.views import oembed
from producers.sitemaps import SITEMAPS, robots_txt, sitemap_index

sitemaps = dict(SITEMAPS)
try:
    from magazine.sitemaps import ArticleSitemap
except ModuleNotFoundError as error:  # the Mag has no sitemap yet
    if error.name != "magazine.sitemaps":
        raise
else:
    sitemaps["mag"] = ArticleSitemap

urlpatterns = [
    # The volunteers' queue lives under its model's admin URL; this is the address they remember.
    path("admin/moderation/queue/", RedirectView.as_view(pattern_name="admin:moderation_queue")),
    path("admin/", admin.site.urls),
    path("robots.txt", robots_txt, name="robots_txt"),
    # For a load balancer or monitoring (docs/deployment.md, "Health check"): no language, never cached.
    path("sante/", health, name="health"),
    # One address for both languages: the page's URL says which.
    path("oembed", oembed, name="oembed"),
    # The public read API, in no language prefix: its answers are the same for everyone (docs/partners.md).
    path("api/v1/", api.urls),
    path("sitemap.xml", cache_page(3600)(sitemap_index), {"sitemaps": sitemaps}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        cache_page(3600)(sitemap_views.sitemap),
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

# French at the root, English under /en/: each language has its own URLs, so pages are cacheable
# and the language switcher is a plain link (no form, no cookie, works without JavaScript).
urlpatterns += i18n_patterns(
    path("mag/", include("magazine.urls")),
    path("pages/", include("magazine.page_urls")),
    path("", include("moderation.urls")),
    path("", include("alerts.urls")),
    path("", include("producers.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "localdir.views.page_not_found"
handler500 = "localdir.views.server_error"
