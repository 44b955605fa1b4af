"""The Mag's section of sitemap.xml (picked up by localdir/urls.py): published articles only."""

from producers.sitemaps import SiteSitemap

from .models import Article


class ArticleSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self):
        # Scheduled articles join the sitemap at their date; the section is cached for an hour at most.
        return Article.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, article):
        return article.updated_at
