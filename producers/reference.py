"""What every directory page shows and seldom changes, read once and kept in the cache (localdir.cache.cached_data):
the filters' choices, the departments with their counts, a department's map centre.

Dropped with the cached pages when a listing is published or withdrawn, or the taxonomy changes (producers.signals).
Values are plain tuples: cheap to pickle, and translated when a page is rendered (both names are kept).
"""

from typing import NamedTuple

from django.db.models import Avg
from django.utils.translation import get_language

from localdir.cache import cached_data
from localdir.translated import translated

from .models import Category, Commune, DeliveryMode, Department, LocalCurrency

FRANCE_CENTER = (46.6, 2.4)


class Term(NamedTuple):
    """A category or a delivery mode as the pages show it: both names kept, the page's language chosen when shown."""

    pk: int
    slug: str
    name: str
    name_en: str

    @property
    def translated_name(self):
        return translated(self.name, self.name_en)


class Currency(NamedTuple):
    pk: int
    slug: str
    name: str
    website: str


# {(name, language): (the cached list they were made from, the choices)}: a filter's choices made once per list read
# from the cache (localdir.cache keeps it LOCAL_SECONDS in each process) and language, not on each page. The same
# tuple each time: callers must not change it.
_choices = {}


def _kept_choices(name, terms, make):
    key = (name, get_language())
    kept = _choices.get(key)
    if kept is None or kept[0] is not terms:
        kept = _choices[key] = (terms, tuple(make(term) for term in terms))
    return kept[1]


def _categories():
    return cached_data(
        "categories", lambda: [Term(*row) for row in Category.objects.values_list("pk", "slug", "name", "name_en")]
    )


def category_choices():
    """(slug, name in the page's language) in the taxonomy's order, for the category filter."""
    return _kept_choices("categories", _categories(), lambda term: (term.slug, term.translated_name))


def category_ids():
    """{slug: primary key} of every category."""
    return {slug: pk for pk, slug, _name, _name_en in _categories()}


def categories_by_id():
    """{primary key: Term} of every category; iterating it follows the taxonomy's order."""
    return {term.pk: term for term in _categories()}


def _delivery_modes():
    return cached_data(
        "delivery-modes",
        lambda: [Term(*row) for row in DeliveryMode.objects.values_list("pk", "code", "name", "name_en")],
    )


def delivery_mode_choices():
    return _kept_choices("delivery-modes", _delivery_modes(), lambda term: (term.slug, term.translated_name))


def delivery_mode_ids():
    return {code: pk for pk, code, _name, _name_en in _delivery_modes()}


def delivery_modes_by_id():
    """{primary key: Term} of every delivery mode, in their order."""
    return {term.pk: term for term in _delivery_modes()}


def _currencies(department_id):
    def compute():
        currencies = LocalCurrency.objects.all()
        if department_id is not None:
            currencies = currencies.filter(departments=department_id)
        return [Currency(*row) for row in currencies.values_list("pk", "slug", "name", "website")]

    return cached_data(f"currencies.{department_id}", compute)


def currency_choices(department_id=None):
    """The local currencies (those circulating in the department, if one is given), for the currency filter."""
    return _kept_choices(f"currencies.{department_id}", _currencies(department_id), lambda c: (c.slug, c.name))


def currency_ids(department_id=None):
    return {currency.slug: currency.pk for currency in _currencies(department_id)}


def currencies_by_id():
    """{primary key: Currency} of every local currency, in name order."""
    return {currency.pk: currency for currency in _currencies(None)}


def departments():
    """Every department in code order, with its published count (stored: see producers.counts)."""
    return cached_data("departments", lambda: list(Department.objects.order_by("code")))


def department_by_code():
    """{code: department} of the cached departments (a department page's first query, saved)."""
    return {department.code: department for department in departments()}


def department_center(department):
    """The mean point of the department's communes (France's centre if it has none), for its map."""

    def compute():
        point = Commune.objects.filter(department=department).aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
        if point["lat"] is None:
            return FRANCE_CENTER
        return (point["lat"], point["lon"])

    return cached_data(f"department-center.{department.pk}", compute)
