"""What the directory pages hand to Django's Paginator: a count and a page of listings, each read the cheap way.

Django's Paginator asks its list for `count()` and for a slice. A queryset answers both in the obvious way, which
costs what the whole filtered set costs: the national list counted every published listing (a second at 1,000,000
listings), and a list ordered by distance read every listing of the circle from the table and sorted them all to
keep 20 (Lille + 10 km at 1,000,000 listings: 10,828 rows, 60 ms; Paris + 50 km: 167,913 rows, 4.8 s). Here:

- a list without filters (the national list, a department's) is counted from the stored counts per department
  (producers.counts), which every publication and withdrawal recounts. A stored count can still be wrong (a
  `QuerySet.update()` in a shell, a recount that failed after its commit and was only logged; `manage.py
  recount_listings` repairs them daily): the Paginator below checks it against the rows each page reads, and counts
  in SQL when they disagree, so that no listing falls off the last page and no page repeats another's rows;
- a list ordered by distance reads its page from a smaller circle first: every listing of a circle of radius r
  comes before every listing farther than r, so when the circle holds the page's last row, its page is the page.
  The radius is guessed from the count, for the circle to hold a few times the rows needed were the listings
  spread evenly; they crowd in towns, around the very point searched: a circle four times narrower is tried first
  (Paris + 50 km at 1,000,000 listings: 9,163 rows within the guessed 1.1 km, 570 within 270 m). When neither
  holds enough rows (the listings crowd at the edge), the page is read from the whole circle, as before; all in
  one statement whatever the data (the page's query count stays constant). Same rows, same order.
"""

import functools
import math

from django.core import paginator
from django.db.models import BooleanField
from django.db.models.expressions import Col, Expression
from django.db.models.sql import Query

from . import reference
from .models.listing import circle

# paged()'s `stored`: every published listing, counted from all departments' stored counts.
ALL = object()

# The smaller circle is chosen to hold this many times the rows the page needs (if listings were spread evenly).
MARGIN = 4
# Below this share of the whole circle's area, a smaller circle is worth a try.
MAX_AREA_SHARE = 0.5


class StoredCount:
    """Published listings counted from the stored counts: all of them (`department` None), or a department's;
    sliced as the queryset."""

    def __init__(self, queryset, department=None):
        self.queryset, self.department = queryset, department
        self.counted = None  # the count in SQL, once the stored one was found wrong

    def count(self):
        if self.counted is not None:
            return self.counted
        if self.department is not None:
            return self.department.listing_count
        return sum(department.listing_count for department in reference.departments())

    def count_in_sql(self):
        self.counted = self.queryset.count()

    def __getitem__(self, index):
        return self.queryset[index]


class NearestFirst:
    """Listings ordered by distance from a point (ListingQuerySet.within() and that order), read page by page from
    the smallest circle likely to hold the page."""

    def __init__(self, queryset, latitude, longitude, km):
        self.queryset, self.point, self.km = queryset, (latitude, longitude), km
        self._count = None

    def count(self):
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.stop is None or index.step is not None:
            return self.queryset[index]
        start, stop = index.start or 0, index.stop
        share = MARGIN * stop / self.count() if self.count() else 1
        query = self.queryset.query
        if share > MAX_AREA_SHARE or not _plain(query):
            return list(self.queryset[start:stop])
        # One statement whatever the data: the smallest circle's rows; the ring around it, only when that circle
        # holds fewer than `stop` rows; the rest of the whole circle, only when the second circle does too (each
        # part excludes the one inside it by the very same condition, so no row is missed or read twice). A part's
        # condition names no row of its own: PostgreSQL checks it once and never starts the part's scan, SQLite
        # tests it before its loop. When the smallest circle holds the page, it is read from it as before, plus two
        # index scans that stop at the circles' `stop`-th row.
        circles = [circle(*self.point, self.km * math.sqrt(share) / k) for k in (4, 1)]
        page = self.queryset.order_by().filter(_Part())
        nearest = _Nearest(page.values("pk").query, circles, query.order_by, start, stop)
        page.query = page.query.chain(_PageQuery)
        page.query.nearest = nearest
        return list(page)


class _Part(Expression):
    """Where a part's own conditions go in the statement's SQL: the last condition of its WHERE, never run."""

    output_field = BooleanField()
    token = "NEAREST_FIRST_PART"

    def as_sql(self, compiler, connection):
        return self.token, []


def _plain(query):
    """Whether the statement can be built from the list's query compiled once: one SELECT whose WHERE ends its SQL,
    ordered by the listing's own fields or annotations."""
    if "distance_sq" not in query.annotation_select:
        return False
    fields = {field.name for field in query.get_meta().concrete_fields} | {"pk"} | set(query.annotation_select)
    shaped = query.combinator, query.distinct, query.group_by, query.extra, query.extra_order_by, query.values_select
    return (
        not any(shaped)
        and not (query.select_for_update or query.is_sliced)
        and query.order_by
        and all(isinstance(name, str) and name.removeprefix("-") in fields for name in query.order_by)
    )


class _Nearest:
    """The statement of NearestFirst's page, assembled from the list's query compiled once (what building a union of
    three querysets and compiling it cost: 6.5 ms of CPU a page, more than its SQL)."""

    def __init__(self, pks, circles, order_by, start, stop):
        self.pks, self.circles, self.order_by, self.start, self.stop = pks, circles, order_by, start, stop

    def sql(self, compiler, sql, params):
        """The statement, from `sql` and `params`: the list's query compiled by `compiler` with a _Part()."""
        connection, ops = compiler.connection, compiler.connection.ops
        part = _split(sql)
        (smaller, s_params), (small, m_params) = (self._closer_than(compiler, *c) for c in self.circles)
        # The circle's rows as the NOT EXISTS reads them: their ids only, from the index.
        pk_sql, pk_params = self.pks.get_compiler(connection=connection).as_sql()
        pk_part = _split(pk_sql)

        def falls_short(circle, circle_params):
            """The condition that a circle holds fewer than `stop` of the list's rows."""
            inside = f"{pk_part[0]}({circle}){pk_part[1]} {ops.limit_offset_sql(self.stop - 1, self.stop)}"
            sql = f"NOT EXISTS ({inside})"
            if connection.vendor == "postgresql":
                # The whole circle's part is costly to the planner, which would read it with parallel workers, and
                # start them (30 ms at 1,000,000 listings) even when its condition then skips the part. A function
                # PostgreSQL may not run in parallel (the planner checks before folding `OR TRUE` away) prevents
                # that.
                sql = f"(pg_current_xact_id_if_assigned() IS NULL OR TRUE) AND {sql}"
            return sql, [*pk_params, *circle_params]

        short_of_smaller, short_of_smaller_params = falls_short(smaller, s_params)
        short_of_small, short_of_small_params = falls_short(small, m_params)
        parts = [
            (smaller, s_params),
            (f"({small}) AND NOT ({smaller}) AND {short_of_smaller}", [*m_params, *s_params, *short_of_smaller_params]),
            (f"NOT ({small}) AND {short_of_small}", [*m_params, *short_of_small_params]),
        ]
        statement = " UNION ALL ".join(f"{part[0]}({condition}){part[1]}" for condition, _ in parts)
        order = ", ".join(self._position(compiler, name) for name in self.order_by)
        statement += f" ORDER BY {order} {ops.limit_offset_sql(self.start, self.stop)}"
        return statement, [param for _, condition_params in parts for param in (*params, *condition_params)]

    @staticmethod
    def _closer_than(compiler, latitudes, longitudes, distance_sq):
        """closer_than()'s condition for a circle's bounds, from the distance the list selects (compiling the
        condition's Q took two thirds of the statement's building: Django resolves the distance anew for each)."""
        distance, params = compiler.select[compiler.annotation_col_map["distance_sq"]][1]
        alias, opts = compiler.query.get_initial_alias(), compiler.query.get_meta()
        latitude, longitude = (
            compiler.compile(opts.get_field(name).get_col(alias))[0] for name in ("latitude", "longitude")
        )
        sql = f"{distance} <= %s AND {latitude} BETWEEN %s AND %s AND {longitude} BETWEEN %s AND %s"
        return sql, [*params, distance_sq, *latitudes, *longitudes]

    @staticmethod
    def _position(compiler, name):
        """`name` of the list's order_by as the position of its column in the statement's select list."""
        descending = name.startswith("-")
        name = name.removeprefix("-")
        opts, alias = compiler.query.get_meta(), compiler.query.get_initial_alias()
        name = opts.pk.name if name == "pk" else name
        if name in compiler.annotation_col_map:
            index = compiler.annotation_col_map[name]
        else:
            field = opts.get_field(name)
            columns = [
                i
                for i, (column, _, _) in enumerate(compiler.select)
                if isinstance(column, Col) and column.alias == alias and column.target == field
            ]
            if not columns:
                raise ValueError(f"A page ordered by {name} must select it")
            index = columns[0]
        return f"{index + 1} {'DESC' if descending else 'ASC'}"


def _split(sql):
    """The SQL before and after the _Part() in `sql`, which ends its WHERE."""
    before, token, after = sql.rpartition(_Part.token)
    if not token or _Part.token in before or after not in ("", ")"):
        raise ValueError(f"Unexpected SQL for a page ordered by distance: {sql}")
    return before, after


class _PageQuery(Query):
    """A list's query whose SQL is NearestFirst's page statement: its rows come back as the list's (the cards'
    instances, their commune, their distance), which Django's raw() does not give."""

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = super().get_compiler(using, connection, elide_empty)
        compiler.__class__ = _page_compiler(type(compiler))
        return compiler


@functools.cache
def _page_compiler(base):
    class PageCompiler(base):
        def as_sql(self, with_limits=True, with_col_aliases=False):
            sql, params = super().as_sql(with_limits, with_col_aliases)
            return self.query.nearest.sql(self, sql, params)

    return PageCompiler


class Paginator(paginator.Paginator):
    """Django's Paginator, which checks a StoredCount against the rows read.

    Each page is read with one row more: it must hold the rows the stored count leaves for it, and a row after them
    exactly when the count says another page follows; a page past the end by the stored count may exist if the
    count is too low. Otherwise the list is counted in SQL and the page read again by that count, so that no
    listing is left off the last page and "Next" never leads to a page already seen. A page whose rows agree costs
    the single query it cost before; a stale count costs a count and a read more, until `recount_listings`.
    """

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except paginator.EmptyPage:
            if not self._unchecked() or int(number) < 1:
                raise
            self._count_in_sql()  # past the end by the stored count: does the count fall short?
            return super().validate_number(number)

    def page(self, number):
        if not self._unchecked():
            return super().page(number)
        number = self.validate_number(number)
        if not self._unchecked():  # counted in SQL already
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        # One row more than the page says whether a row follows it, as the stored count says.
        rows = list(self.object_list[bottom : top + 1])
        if len(rows) != top - bottom + (self.count > top):
            self._count_in_sql()
            return self.get_page(number)
        return self._get_page(rows[: top - bottom], number, self)

    def _unchecked(self):
        return isinstance(self.object_list, StoredCount) and self.object_list.counted is None

    def _count_in_sql(self):
        self.object_list.count_in_sql()
        for name in ("count", "num_pages"):  # cached properties computed from the stored count
            self.__dict__.pop(name, None)


def paged(filterset, listings, stored=None):
    """`listings` (the filterset's, ready for their cards) as the Paginator should read them. `stored` says the
    filterset's queryset is every published listing whose count is stored: `ALL` (the national map's list), or a
    department (its page)."""
    if filterset.nearest_first:
        return NearestFirst(listings, *filterset.nearest_first)
    if stored is not None and filterset.is_valid() and not filterset.is_filtered:
        return StoredCount(listings, None if stored is ALL else stored)
    return listings
