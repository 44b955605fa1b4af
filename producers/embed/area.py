"""What an embed shows: an area (a department, or a town and a distance) and the partner's filters, as a URL."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from ..filters import ListingFilter
from ..seo import absolute_url
from ..views import COMMUNE_PAGE_DISTANCE

# The directory's filters a partner may preset: every filter of the pages but the area (town and distance, chosen
# apart) and what only makes sense at the moment of a visit (free text, open now). A filter added to ListingFilter
# (markets…) appears in the builder and the embedded page by itself.
VISITOR_ONLY = ("q", "commune", "distance", "open_now")
PRESET_FILTERS = tuple(name for name in ListingFilter.base_filters if name not in VISITOR_ONLY)
DEFAULT_HEIGHT = 600
MIN_HEIGHT, MAX_HEIGHT = 300, 2000
# Where the embedded page's links lead: the site's own pages, whatever the partner's page links to.
REFERRER_POLICY = "strict-origin-when-cross-origin"


def town_page_distance(query):
    """The distance a town page shows for its query string: the page's default, unless the query names a town
    (the page's own search form), whose distance absent or empty means "in this town only"."""
    if "commune" in query:
        return query.get("distance") or ""
    return query.get("distance", str(COMMUNE_PAGE_DISTANCE))


@dataclass
class Embed:
    """A department (`department`) or a town (`town`, a producers.towns.Place, with `distance` in km, "" for the
    town only), the filters preset (name → value) and the language of the embedded page."""

    department: object = None
    town: object = None
    distance: str = ""
    filters: dict = field(default_factory=dict)
    language: str = "fr"

    def query(self):
        pairs = []
        if self.town is not None:
            # Always written, even empty ("in this town only"): without it the page shows the town's surroundings.
            pairs.append(("distance", self.distance))
        pairs += [(name, self.filters[name]) for name in PRESET_FILTERS if self.filters.get(name)]
        return urlencode(pairs)

    def path(self):
        with translation.override(self.language):
            if self.town is not None:
                commune = self.town.commune
                url = reverse(
                    "producers:embed_commune", kwargs={"insee_code": commune.insee_code, "slug": commune.slug}
                )
            else:
                department = self.department
                url = reverse("producers:embed_department", kwargs={"code": department.code, "slug": department.slug})
        query = self.query()
        return f"{url}?{query}" if query else url

    def title(self):
        """The frame's title, read by screen readers: the directory pages' own, which read right in French whatever
        the name ("Angers (49) et alentours", "Nord (59)": no "de"/"en" to elide or agree)."""
        with translation.override(self.language):
            if self.town is not None:
                commune = self.town.commune
                names = {"name": commune.name, "code": commune.department.code}
                if self.distance:
                    return gettext("Local producers around %(name)s (%(code)s)") % names
                return gettext("Local producers in %(name)s (%(code)s)") % names
            names = {"name": self.department.name, "code": self.department.code}
            return gettext("Local producers in %(name)s (%(code)s)") % names

    def snippet(self, height=DEFAULT_HEIGHT, width=None):
        """The <iframe> a partner pastes in a page: absolute URL, lazy, the title read by screen readers."""
        return render_to_string(
            "producers/embed/snippet.html",
            {
                "src": absolute_url(self.path()),
                "title": self.title(),
                "height": height,
                "width": width,
                "SITE_NAME": settings.SITE_NAME,
                "referrer_policy": REFERRER_POLICY,
            },
        ).strip()
