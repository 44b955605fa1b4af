"""The directory's filters, shared by the list pages and the GeoJSON endpoint so both show the same set."""

import copy
import re

import django_filters
from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import hours, reference, towns
from .markets import weekend
from .models import Listing

DISTANCES = [5, 10, 20, 50]
# Kept for the submission form, which reads the autocomplete's "Angers (49)" too.
NAME_WITH_DEPARTMENT = re.compile(
    r"^(?P<name>.+?)\s*\((?P<department>[0-9][0-9AB][0-9]?)\)\s*$", re.IGNORECASE | re.ASCII
)


def _within_km(km):
    return gettext("within %(km)s km") % {"km": km}


# Translated when rendered, not when this module is imported: the filter's choices are built once.
_distance_label = lazy(_within_km, str)


class _Filters(dict):
    """A filterset class's filters, which each filterset copies for its own (django-filter's `deepcopy` of
    base_filters): a shallow copy of each filter is enough, at a fraction of the cost. What a filterset sets on its
    filters (`model`, `parent`) is set on its copies; what they share (label, choices, widget) no request changes.
    A filter with a `method` gets its own FilterMethod, bound to the copy, so it calls its own filterset's."""

    def __deepcopy__(self, memo):
        filters = {}
        for name, base in self.items():
            filters[name] = filter_ = copy.copy(base)
            if base.method is not None:
                filter_.method = base.method  # a FilterMethod pointing at the copy, not at the class's filter
        return filters


class _Fields(dict):
    """The filter form class's fields, which each form copies for its own (Django's BaseForm deep-copies
    base_fields): each copy is Django's own (Field.__deepcopy__: the field, its widget with its attributes, its
    error messages and validators), but a choice field's choices are shared rather than deep-copied with every lazy
    label, two thirds of the copy's cost. Nothing changes choices in place: a form that needs others (a department's
    currencies) assigns them, which replaces them on its own copy and its widget's."""

    def __deepcopy__(self, memo):
        fields = {}
        for name, base in self.items():
            fields[name] = field = copy.copy(base)
            field.widget = copy.deepcopy(base.widget, memo)
            field.error_messages = base.error_messages.copy()
            field.validators = base.validators[:]
        return fields


def resolve_commune(value, department=None):
    """The commune a shopper meant by "Angers", "angers (49)" or "49000"; None if unknown or if several fit."""
    place = towns.resolve(value, department=department).place
    return place.commune if place else None


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
    # The taxonomy's choices come from producers.reference (cached): no query to list or check them.
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        choices=reference.category_choices,
        empty_label=_("All categories"),
        method="filter_category",
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Listing.Kind.choices, empty_label=_("All kinds"))
    delivery = django_filters.ChoiceFilter(
        label=_("Delivery mode"),
        choices=reference.delivery_mode_choices,
        empty_label=_("All delivery modes"),
        method="filter_delivery",
    )
    currency = django_filters.ChoiceFilter(
        label=_("Local currency"),
        choices=reference.currency_choices,
        empty_label=_("Any"),
        method="filter_currency",
    )
    # Markets' days: "today" (what is still to come today) and "this weekend" (producers.markets.weekend).
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[("today", _("Today")), ("weekend", _("This weekend"))],
        empty_label=_("Any day"),
        method="filter_when",
    )
    open_now = django_filters.BooleanFilter(label=_("Open now"), method="filter_open_now", widget=forms.CheckboxInput)

    class Meta:
        model = Listing
        fields = ["q", "commune", "distance", "category", "kind", "delivery", "currency", "when", "open_now"]

    def __init__(self, *args, department=None, **kwargs):
        self.department = department
        super().__init__(*args, **kwargs)
        if department is not None:
            self.form.fields["currency"].choices = lambda: reference.currency_choices(department.pk)
        # The town box's outcome: the place found (a towns.Place), the places to choose from, or not found.
        self.town = None
        self.town_choices = ()
        self.town_not_found = False

    def get_form_class(self):
        # django-filter builds the form's class anew for each filterset (type() over a new field per filter, each
        # with its widget); one class per filterset class serves every request: a form works on copies of its
        # class's fields (Django's BaseForm, through _Fields), so what a request sets on its own (a department's
        # currencies) stays its own.
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = _Fields(form_class.base_fields)
            type(self)._form_class = form_class
        return form_class

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    # A listing has each category, delivery mode or currency at most once: these joins never repeat a listing.
    def filter_category(self, queryset, name, value):
        return queryset.in_category(reference.category_ids()[value])

    def filter_delivery(self, queryset, name, value):
        return queryset.filter(deliveries__mode=reference.delivery_mode_ids()[value])

    def filter_currency(self, queryset, name, value):
        return queryset.filter(currencies=reference.currency_ids(self.department and self.department.pk)[value])

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if "search_rank" in queryset.query.annotations:
            # The best matches first, whatever else ordered the list (a distance keeps ordering each rank).
            others = [f for f in queryset.query.order_by if f != "-search_rank"] or ["name", "pk"]
            queryset = queryset.order_by("-search_rank", *others)
        return queryset

    def filter_noop(self, queryset, name, value):
        # Applied together with the town in filter_commune.
        return queryset

    def filter_commune(self, queryset, name, value):
        # The hidden code comes from a suggestion picked or a choice made; it is not a filter of its own.
        resolution = towns.resolve(value, code=self.data.get("commune_code"), department=self.department)
        town = resolution.place
        if town is None:
            self.town_choices = resolution.choices
            self.town_not_found = not resolution.choices
            return queryset.none()
        self.town = town
        distance = int(self.form.cleaned_data.get("distance") or 0)
        if distance:
            return queryset.within(town.latitude, town.longitude, distance).order_by("distance_sq", "name", "pk")
        if town.is_arrondissement:
            return queryset.filter(commune=town.commune, postal_code__in=town.postal_code_list)
        return queryset.filter(commune=town.commune)

    @property
    def nearest_first(self):
        """(latitude, longitude, km) when the list is ordered by distance from the town searched (a town and a
        distance, no free text, whose rank would come first); None otherwise."""
        if self.town is None or "search_rank" in self.qs.query.annotations:
            return None
        distance = int(self.form.cleaned_data.get("distance") or 0)
        return (self.town.latitude, self.town.longitude, distance) if distance else None

    @property
    def circle_alone(self):
        """nearest_first's (latitude, longitude, km) when the town and the distance are the only filters: what the
        circle holds is then what the maps' grid holds there (producers.maps.ring); None otherwise."""
        circle = self.nearest_first if self.is_valid() else None
        if circle is None or any(
            value not in (None, "", False)
            for name, value in self.form.cleaned_data.items()
            if name not in ("commune", "distance")
        ):
            return None
        return circle

    @property
    def town_elsewhere(self):
        """The town found is in another department than the page's: the page says so and links to the right one."""
        return self.town is not None and self.department is not None and self.town.department != self.department

    def filter_when(self, queryset, name, value):
        now = timezone.localtime(timezone.now(), hours.PARIS)
        if value == "today":
            return queryset.open_on([now.date()], after=now.hour * 60 + now.minute)
        days = weekend(now.date())
        # On a weekend day, what is already over today is not "this weekend" any more.
        return queryset.open_on(days, after=now.hour * 60 + now.minute if days[0] == now.date() else None)

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


ListingFilter.base_filters = _Filters(ListingFilter.base_filters)


class MarketFilter(ListingFilter):
    """The markets pages' filters: near a town (with its distance) only; the rest of the directory's filters would
    mostly empty a list of markets."""

    class Meta(ListingFilter.Meta):
        fields = ["commune", "distance"]

    def __init__(self, *args, department=None, **kwargs):
        super().__init__(*args, **kwargs)  # no currency field to scope to the department
        self.department = department


# Declared filters are inherited whatever Meta.fields says: the form (built from base_filters) keeps only these.
MarketFilter.base_filters = _Filters({name: MarketFilter.base_filters[name] for name in MarketFilter.Meta.fields})
