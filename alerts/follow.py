"""What a visitor follows: an area (a department, a town and a distance, or all of France) and the directory's
filters (category, kind, delivery mode, currency), as on the page they came from.

One home for it: the feeds, the subscription form and the weekly digest all read the same published listings,
filtered by producers' own ListingFilter, so a feed never disagrees with the page that links to it.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from localdir.reversing import reverse_with_slug
from localdir.text import fold
from producers import reference
from producers.filters import ListingFilter
from producers.models import Commune, Department, Listing
from producers.towns import INSEE_CODE
from producers.views import _commune_defaults


def _french():
    return (get_language() or "").startswith("fr")


# Articles that contract with "de" and "à" at the start of a French town's name (Le Mans, Les Sables-d'Olonne).
_DE = (("Le ", "du "), ("Les ", "des "))
_A = (("Le ", "au "), ("Les ", "aux "))


def _french_de(name):
    """ "de Chalonnes-sur-Loire", "d'Angers", "du Mans", "des Herbiers", "de La Flèche"."""
    for article, contracted in _DE:
        if name.startswith(article):
            return contracted + name[len(article) :]
    first = fold(name[:1])
    return f"d’{name}" if first and first in "aeiouy" else f"de {name}"


def _french_a(name):
    """ "à Angers", "au Mans", "aux Herbiers"."""
    for article, contracted in _A:
        if name.startswith(article):
            return contracted + name[len(article) :]
    return f"à {name}"


# The page filters a feed keeps; the free text, "open now" and the page number do not describe an area's news.
PARAMS = ("commune", "commune_code", "distance", "category", "kind", "delivery", "currency")


def clean_params(data):
    """The followed filters among a query string's (or a dict's) values, the empty ones left out."""
    # A town's label is the longest value: 200 characters is more than any needs.
    values = {key: str(data.get(key) or "").strip()[:200] for key in PARAMS}
    return {key: value for key, value in values.items() if value}


@dataclass
class Follow:
    """A followed query: `department` or `commune` (the page's scope; neither for all of France) and `params`."""

    department: Department | None = None
    commune: Commune | None = None
    params: dict = field(default_factory=dict)

    @classmethod
    def from_request(cls, request, department=None, commune=None):
        return cls(department=department, commune=commune, params=clean_params(request.GET))

    def filterset(self, queryset=None):
        data = QueryDict(mutable=True)
        data.update(self.params)
        if self.commune is not None and "commune" not in data:
            # A town's page shows the listings around it unless its own filters say otherwise (producers.views).
            for key, value in _commune_defaults(self.commune).items():
                data.setdefault(key, value)
        if queryset is None:
            queryset = Listing.objects.published()
            if self.department is not None:
                queryset = queryset.in_department(self.department)
        return ListingFilter(data, queryset=queryset, department=self.department)

    def listings(self):
        """The published listings followed, newest public change first ("updated" is an approved edit, never a
        mere confirmation: Listing.changed_at)."""
        filterset = self.filterset()
        if not filterset.is_valid():
            return Listing.objects.none()
        return filterset.qs.order_by("-changed_at", "-pk")

    # Where the visitor came from, and the feeds of the same query.

    def _with_params(self, url):
        return f"{url}?{urlencode(self.params)}" if self.params else url

    def page_url(self):
        """The directory page showing the same listings."""
        if self.commune is not None:
            url = self.commune.get_absolute_url()
        elif self.department is not None:
            url = self.department.get_absolute_url()
        else:
            url = reverse("producers:france_map")
        return self._with_params(url)

    def feed_url(self, fmt="rss"):
        if self.commune is not None:
            url = reverse(
                f"alerts:commune_feed_{fmt}", kwargs={"insee_code": self.commune.insee_code, "slug": self.commune.slug}
            )
        elif self.department is not None:
            url = reverse_with_slug(f"alerts:department_feed_{fmt}", self.department.slug, code=self.department.code)
        else:
            url = reverse(f"alerts:feed_{fmt}")
        return self._with_params(url)

    def subscribe_url(self):
        """The subscription page, its query carried in the query string."""
        query = dict(self.params)
        if self.commune is not None:
            query["ville"] = self.commune.insee_code
        elif self.department is not None:
            query["departement"] = self.department.code
        return f"{reverse('alerts:subscribe')}?{urlencode(query)}" if query else reverse("alerts:subscribe")

    @classmethod
    def from_subscribe_query(cls, data):
        """The query the subscription page names (see subscribe_url); unknown places fall back to all of France, and
        filters the directory would refuse (an unknown category, a distance it does not offer) are left out, so that
        nobody subscribes to a query that can never match."""
        follow = cls(params=clean_params(data))
        code = (data.get("departement") or "").strip().upper()
        insee = (data.get("ville") or "").strip().upper()
        if INSEE_CODE.fullmatch(insee[:5]):  # nothing else reaches the database (a NUL byte: a 500 on PostgreSQL)
            follow.commune = Commune.objects.select_related("department").filter(insee_code=insee[:5]).first()
        elif code:
            follow.department = reference.department_by_code().get(code)
        filterset = follow.filterset(Listing.objects.none())
        if not filterset.is_valid():
            follow.params = {key: value for key, value in follow.params.items() if key not in filterset.form.errors}
        return follow

    # What the follower reads.

    def title(self, filterset=None):
        """ "New producers near Chalonnes-sur-Loire", "New markets in Gironde (33) · Vegetables". `filterset`: the
        page's own, already applied, which saves resolving the town again."""
        if filterset is None:
            filterset = self.filterset(Listing.objects.none())
            filterset.qs  # resolves the town box  # noqa: B018
        town = filterset.town
        distance = filterset.form.cleaned_data.get("distance") if filterset.is_valid() else None
        markets = self.params.get("kind") == Listing.Kind.MARKET
        if town is not None and distance:
            # French declines the preposition with the name: "près d'Angers", "près du Mans".
            near = _french_de(town.name) if _french() else town.name
            # Translators: in French, %(town)s comes with its preposition: "de Chalonnes", "d’Angers", "du Mans".
            text = (_("New markets near %(town)s") if markets else _("New producers near %(town)s")) % {"town": near}
        elif town is not None:
            at = _french_a(town.name) if _french() else town.name
            # Translators: in French, %(town)s comes with its preposition: "à Angers", "au Mans".
            text = (_("New markets in %(town)s") if markets else _("New producers in %(town)s")) % {"town": at}
        elif self.department is not None:
            # "en Gironde" but "dans le Nord": the department is named after a colon.
            where = f"{self.department.name} ({self.department.code})"
            text = (_("New markets: %(department)s") if markets else _("New producers: %(department)s")) % {
                "department": where
            }
        else:
            text = _("New markets in France") if markets else _("New producers in France")
        category = dict(reference.category_choices()).get(self.params.get("category"))
        if category:
            text = f"{text} · {category}"
        return text

    # Stored with a subscription.

    def as_fields(self):
        return {"department": self.department, "commune": self.commune, "params": self.params}
