"""RSS and Atom feeds of new and updated listings: all of France, a department or a town and its surroundings, with
the directory's filters in the query string (alerts.follow). In the style of the Mag's feeds (magazine.feeds)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from producers import reference
from producers.models import Commune

from .follow import Follow

FEED_ITEMS = 30


class ListingFeed(Feed):
    """All of France; `?category=…&kind=market` as on the map's filters."""

    def get_object(self, request):
        return Follow.from_request(request)

    def title(self, follow):
        return f"{follow.title()} · {settings.SITE_NAME}"

    def link(self, follow):
        return follow.page_url()

    def feed_url(self, follow):
        return follow.feed_url("atom" if self.feed_type is Atom1Feed else "rss")

    def description(self, follow):
        return _("Listings newly published or updated after a volunteer's check, newest first.")

    def items(self, follow):
        return follow.listings().select_related("commune__department").prefetch_related("categories")[:FEED_ITEMS]

    def item_title(self, item):
        where = f"{item.commune.name} ({item.commune.department.code})"
        if item.changed_at and item.published_at and item.changed_at > item.published_at:
            return _("Updated: %(name)s, %(where)s") % {"name": item.name, "where": where}
        return f"{item.name}, {where}"

    def item_description(self, item):
        return item.short_description

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        # A new id for each public change, so that feed readers show an updated listing again.
        stamp = int((item.changed_at or item.published_at).timestamp())
        return f"{settings.SITE_URL}{item.get_absolute_url()}#{stamp}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.changed_at or item.published_at

    def item_updateddate(self, item):
        return item.changed_at or item.published_at

    def item_categories(self, item):
        return [category.translated_name for category in item.categories.all()]


class ListingAtomFeed(ListingFeed):
    feed_type = Atom1Feed

    def subtitle(self, follow):
        return self.description(follow)


class DepartmentFeed(ListingFeed):
    def get_object(self, request, code, slug):
        department = reference.department_by_code().get(code)
        if department is None:
            raise Http404
        return Follow.from_request(request, department=department)


class DepartmentAtomFeed(DepartmentFeed, ListingAtomFeed):
    pass


class CommuneFeed(ListingFeed):
    def get_object(self, request, insee_code, slug):
        commune = get_object_or_404(Commune.objects.select_related("department"), insee_code=insee_code)
        return Follow.from_request(request, commune=commune)


class CommuneAtomFeed(CommuneFeed, ListingAtomFeed):
    pass
