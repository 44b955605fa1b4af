"""What crawlers read: sitemap sections of the public pages, and robots.txt.

Only public pages are listed: published listings, departments, communes that have a published listing, and the
markets pages of departments that have a published market.
URLs are absolute on SITE_URL, whatever host the crawler asked.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from .markets import markets
from .models import Commune, Department, Listing


class SiteSitemap(Sitemap):
    limit = 10000  # URLs per sitemap page; the index lists the pages

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ListingSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return Listing.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, listing):
        return listing.updated_at


class DepartmentSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return Department.objects.only("code", "slug").order_by("code")


class CommuneSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        published = Listing.objects.published().filter(commune=OuterRef("pk"))
        return Commune.objects.filter(Exists(published)).only("insee_code", "slug").order_by("insee_code")


class MarketSitemap(SiteSitemap):
    """The markets pages (the list and the next 7 days) of the departments that have a published market."""

    changefreq = "daily"

    def items(self):
        held = markets(Listing.objects.published()).filter(department=OuterRef("pk"))
        departments = Department.objects.filter(Exists(held)).only("code", "slug").order_by("code")
        return [(name, department) for department in departments for name in MARKET_PAGES]

    def location(self, item):
        name, department = item
        return reverse(name, kwargs={"code": department.code, "slug": department.slug})


MARKET_PAGES = ("producers:department_markets", "producers:department_market_week")


class MapSitemap(SiteSitemap):
    """The national map, whose list pages through every published listing."""

    changefreq = "daily"

    def items(self):
        return ["producers:france_map"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "activites": ListingSitemap,
    "departements": DepartmentSitemap,
    "communes": CommuneSitemap,
    "marches": MarketSitemap,
    "carte": MapSitemap,
}


@require_GET
def sitemap_index(request, sitemaps):
    """django.contrib.sitemaps' index, with section URLs on SITE_URL rather than on the host asked."""
    items = []
    for section, sitemap in sitemaps.items():
        sitemap = sitemap() if callable(sitemap) else sitemap
        url = settings.SITE_URL + reverse("django.contrib.sitemaps.views.sitemap", kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(url, lastmod))
        items += [SitemapIndexItem(f"{url}?p={page}", lastmod) for page in range(2, sitemap.paginator.num_pages + 1)]
    response = TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml")
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_GET
def robots_txt(request):
    sitemap_url = settings.SITE_URL + reverse("sitemap")
    return HttpResponse(render_to_string("robots.txt", {"sitemap_url": sitemap_url}), content_type="text/plain")
