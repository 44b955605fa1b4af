"""A list whose count is stored (a department's, the national one) reads its pages by a statement compiled once per
process (producers.paging.compiled): each page must be the very rows, built the very way, that its queryset gives,
whatever was read before it in the same process."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from producers.models import Commune, Department, Listing
from producers.paging import StoredCount
from producers.paging import compiled as statements
from producers.views import CARD_FIELDS, cards
from tests.factories import CategoryFactory, ListingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_statement_yet(monkeypatch):
    monkeypatch.setattr(statements, "_statements", {})


@pytest.fixture
def listings(towns, django_capture_on_commit_callbacks):
    """23 published listings in Maine-et-Loire (some of one name: ordered by name, then id), 4 in Gironde, and two
    not published."""
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(23):
            commune = towns["avrille" if i % 3 else "angers"]
            ListingFactory(commune=commune, name="Ferme du centre" if i % 4 == 0 else f"Ferme {i:02}")
        for i in range(4):
            ListingFactory(commune=towns["bordeaux"], name=f"Cave {i}")
        for status in (Listing.Status.PENDING, Listing.Status.UNPUBLISHED):
            ListingFactory(commune=towns["angers"], name="Ferme cachée", status=status)


def department(code):
    return Department.objects.get(code=code)


def loaded(listing):
    """What a card reads of a listing, and which fields were left unread (deferred)."""
    values = {name: getattr(listing, name) for name in ("pk", "name", "slug", "kind", "short_description")}
    values["opening_hours"] = listing.opening_hours
    values["commune"] = (listing.commune.pk, listing.commune.name, listing.commune.get_deferred_fields())
    return values, listing.get_deferred_fields()


def read(queryset, start, stop):
    """(rows, SQL run) of queryset[start:stop] read through a StoredCount, then as Django reads it."""
    with CaptureQueriesContext(connection) as compiled:
        rows = StoredCount(queryset)[start:stop]
    with CaptureQueriesContext(connection) as plain:
        expected = list(queryset[start:stop])
    assert [loaded(row) for row in rows] == [loaded(row) for row in expected]
    assert [query["sql"] for query in compiled] == [query["sql"] for query in plain]
    return rows


@pytest.mark.parametrize("code", ["49", "33", None])
def test_every_page_is_the_querysets_own_statement_and_rows(listings, code):
    published = Listing.objects.published()
    queryset = cards(published.in_department(department(code)) if code else published)
    count = queryset.count()
    assert count == {"49": 23, "33": 4, None: 27}[code]
    shown = []
    for start in range(0, count + 5, 5):
        shown += read(queryset, start, start + 6)[:5]  # a row more, as the Paginator reads them
    assert [row.pk for row in shown] == list(queryset.values_list("pk", flat=True))
    assert len({row.pk for row in shown}) == count


@pytest.mark.parametrize("start, stop", [(0, 0), (5, 5), (8, 3)])
def test_a_slice_django_reads_as_empty_is_empty(listings, start, stop):
    """The Paginator reads [0:0] when the count in SQL finds no listing: no row, as Django answers, not every row."""
    queryset = cards(Listing.objects.published())
    with CaptureQueriesContext(connection) as queries:
        assert list(StoredCount(queryset)[start:stop]) == []
    assert len(queries) == 0


def test_a_negative_index_is_refused_as_django_refuses_it(listings):
    with pytest.raises(ValueError):
        StoredCount(cards(Listing.objects.published()))[0:-1]


def test_departments_read_in_turn_each_get_their_own_rows(listings):
    published = Listing.objects.published()
    for code in ["49", "33", "49", "33"]:
        rows = read(cards(published.in_department(department(code))), 0, 30)
        assert {row.pk for row in rows} == set(published.filter(department__code=code).values_list("pk", flat=True))
    assert len(statements._statements) == 2  # compiled once each


def test_each_way_of_reading_a_list_has_its_own_statement(listings):
    """The same rows read with other fields, another order or other joins are other statements."""
    maine_et_loire = Listing.objects.published().in_department(department("49"))
    for queryset in [
        cards(maine_et_loire),
        cards(maine_et_loire, with_department=True),
        maine_et_loire.select_related("commune").only(*CARD_FIELDS[:3], "commune__name"),
        cards(maine_et_loire).order_by("-name", "pk"),
        cards(maine_et_loire).defer("short_description"),
        cards(maine_et_loire).filter(kind=Listing.Kind.PRODUCER),
        maine_et_loire,
    ]:
        read(queryset, 0, 10)
        read(queryset, 10, 20)
    assert len(statements._statements) == 7


def test_a_query_that_is_not_plain_is_compiled_as_usual(listings):
    honey = CategoryFactory(slug="miel-test")
    first = Listing.objects.published().order_by("name", "pk").first()
    first.categories.add(honey)
    maine_et_loire = Listing.objects.published().in_department(department("49"))
    for queryset in [
        cards(maine_et_loire.filter(categories=honey)),  # a join
        cards(maine_et_loire.filter(Q(kind=Listing.Kind.PRODUCER) | Q(name="Ferme 01"))),  # OR
        cards(maine_et_loire.exclude(name="Ferme 01")),  # NOT
        cards(maine_et_loire.filter(commune__name="Angers")),  # a condition on another table
        cards(maine_et_loire.filter(commune=Commune.objects.get(insee_code="49007"), name__startswith="Ferme")),
        cards(maine_et_loire.filter(name__in=["Ferme 01", "Ferme 02"])),  # a list of values
        cards(maine_et_loire).distinct(),
        cards(maine_et_loire.none()),
    ]:
        read(queryset, 0, 10)
    # Only the fifth is plain: conditions on its own columns, each compared with one value.
    assert len(statements._statements) == 1
