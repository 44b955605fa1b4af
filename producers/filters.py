"""The directory's filters, shared by the list pages and the GeoJSON endpoint so both show the same set."""

import re

import django_filters
from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from localdir.text import fold

from .models import Category, Commune, DeliveryMode, Listing, LocalCurrency

DISTANCES = [5, 10, 20, 50]
INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.IGNORECASE)
NAME_WITH_DEPARTMENT = re.compile(r"^(?P<name>.+?)\s*\((?P<department>\d[\dAB]\d?)\)\s*$", re.IGNORECASE)


def _within_km(km):
    return gettext("within %(km)s km") % {"km": km}


# Translated when rendered, not when this module is imported: the filter's choices are built once.
_distance_label = lazy(_within_km, str)


def resolve_commune(value, department=None):
    """The commune a shopper meant by "Angers", "angers (49)", "49000" or an INSEE code; None if unknown.

    Among homonyms, prefer the current department, then the most populated.
    """
    value = (value or "").strip()
    if not value:
        return None
    communes = Commune.objects.select_related("department")
    if INSEE_CODE.match(value):
        commune = communes.filter(insee_code=value.upper()).first()
        if commune:
            return commune
    match = NAME_WITH_DEPARTMENT.match(value)
    if match:
        value = match["name"]
        communes = communes.filter(department__code=match["department"].upper())
    candidates = list(communes.search(value).order_by("-population")[:50])
    exact = [c for c in candidates if c.search_name == fold(value)]
    pool = exact or candidates
    if department is not None:
        local = [c for c in pool if c.department_id == department.pk]
        pool = local or pool
    return pool[0] if pool else None


class ListingFilter(django_filters.FilterSet):
    """Filters from the query string; `department` (optional) scopes the page and the town look-up."""

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_text", widget=forms.TextInput(attrs={"type": "search"})
    )
    commune = django_filters.CharFilter(
        label=_("Town or postal code"),
        method="filter_commune",
        widget=forms.TextInput(attrs={"list": "commune-suggestions", "autocomplete": "off"}),
    )
    distance = django_filters.ChoiceFilter(
        label=_("Distance"),
        choices=[(str(d), _distance_label(d)) for d in DISTANCES],
        empty_label=_("in this town only"),
        method="filter_noop",
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        field_name="categories",
        empty_label=_("All categories"),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Listing.Kind.choices, empty_label=_("All kinds"))
    delivery = django_filters.ModelChoiceFilter(
        label=_("Delivery mode"),
        queryset=DeliveryMode.objects.all(),
        to_field_name="code",
        field_name="deliveries__mode",
        empty_label=_("All delivery modes"),
    )
    currency = django_filters.ModelChoiceFilter(
        label=_("Local currency"),
        queryset=LocalCurrency.objects.all(),
        to_field_name="slug",
        field_name="currencies",
        empty_label=_("Any"),
    )
    open_now = django_filters.BooleanFilter(label=_("Open now"), method="filter_open_now", widget=forms.CheckboxInput)

    class Meta:
        model = Listing
        fields = ["q", "commune", "distance", "category", "kind", "delivery", "currency", "open_now"]

    def __init__(self, *args, department=None, **kwargs):
        self.department = department
        super().__init__(*args, **kwargs)
        if department is not None:
            currencies = self.filters["currency"].queryset.filter(departments=department)
            self.form.fields["currency"].queryset = currencies
        self.town = None
        self.town_not_found = False

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_noop(self, queryset, name, value):
        # Applied together with the town in filter_commune.
        return queryset

    def filter_commune(self, queryset, name, value):
        town = resolve_commune(value, self.department)
        if town is None:
            self.town_not_found = True
            return queryset.none()
        self.town = town
        distance = int(self.form.cleaned_data.get("distance") or 0)
        if distance:
            return queryset.within(town.latitude, town.longitude, distance).order_by("distance_sq", "name", "pk")
        return queryset.filter(commune=town)

    def filter_open_now(self, queryset, name, value):
        if value:
            return queryset.open_at()
        return queryset

    @property
    def wider_distance(self):
        """The next distance up, to offer when a town search finds nothing."""
        if self.town is None:
            return None
        current = int(self.form.cleaned_data.get("distance") or 0)
        wider = [d for d in DISTANCES if d > current]
        return wider[0] if wider else None

    @property
    def is_filtered(self):
        return any(v not in (None, "", False) for v in self.form.cleaned_data.values())
