"""RSS and Atom feeds of the Mag, whole or for one department (its articles and the national ones)."""

import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _

from producers.models import Department

from .models import Article

FEED_ITEMS = 20


class ItemLanguageMixin:
    """Each item says its own language (xml:lang): the articles are written in French, the English feed included."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes


class RssWithItemLanguage(ItemLanguageMixin, Rss201rev2Feed):
    pass


class AtomWithItemLanguage(ItemLanguageMixin, Atom1Feed):
    pass


class MagazineFeed(Feed):
    feed_type = RssWithItemLanguage

    def title(self):
        return _("%(site)s · The Mag") % {"site": settings.SITE_NAME}

    def link(self):
        return reverse("magazine:index")

    def description(self):
        return _("News, portraits and practical tips about buying local.")

    def items(self):
        return Article.objects.published().prefetch_related("categories")[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author_name

    def item_categories(self, item):
        return [category.translated_name for category in item.categories.all()]

    def item_enclosures(self, item):
        """The cover image (its 800 px version), which feed readers show beside the item."""
        image = item.cover_thumbnail or item.cover
        if not image:
            return []
        try:
            length = image.size
        except OSError:  # the file went missing from the storage: still point at it, size unknown
            length = 0
        mime_type = mimetypes.guess_type(image.name)[0] or "image/jpeg"
        return [Enclosure(settings.SITE_URL + image.url, str(length), mime_type)]

    def item_extra_kwargs(self, item):
        return {"language": settings.LANGUAGE_CODE}


class MagazineAtomFeed(MagazineFeed):
    feed_type = AtomWithItemLanguage

    def subtitle(self):
        return self.description()


class DepartmentFeed(MagazineFeed):
    def get_object(self, request, code):
        return get_object_or_404(Department, code=code.upper())

    def title(self, department):
        return _("%(site)s · The Mag · %(department)s") % {"site": settings.SITE_NAME, "department": department.name}

    def link(self, department):
        return f"{reverse('magazine:index')}?departement={department.code}"

    def description(self, department):
        return _("The Mag's articles about %(department)s, and the national ones.") % {"department": department.name}

    def items(self, department):
        return Article.objects.published().for_department(department).prefetch_related("categories")[:FEED_ITEMS]


class DepartmentAtomFeed(DepartmentFeed):
    feed_type = AtomWithItemLanguage

    def subtitle(self, department):
        return self.description(department)
