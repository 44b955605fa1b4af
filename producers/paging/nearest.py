"""A list ordered by distance from a point, read page by page from the smallest circle likely to hold the page
(producers.paging.NearestFirst)."""

import functools
import math

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField
from django.db.models.expressions import Col, Expression
from django.db.models.sql import Query

from ..maps import ring
from ..models.distance import circle

# The guessed circle would hold this many times the rows the page needs, were listings spread evenly.
MARGIN = 4
# Each candidate circle's radius over the one before it.
GROWTH = 2
# Below this share of the whole circle's area, a smaller circle is worth a try.
MAX_AREA_SHARE = 0.5


class NearestFirst:
    """Listings ordered by distance from a point (ListingQuerySet.within() and that order), read page by page from
    the smallest circle likely to hold the page."""

    def __init__(self, queryset, latitude, longitude, km, scope=None):
        """`scope`: the queryset is every published listing of that scope of the maps' grid (producers.maps.grid:
        FRANCE or a department's pk) within the circle, and nothing else filters it; its count is then the grid's
        (producers.maps.ring.count()), checked by the Paginator against the rows read."""
        self.queryset, self.point, self.km, self.scope = queryset, (latitude, longitude), km, scope
        self._count = None
        self._ids = None
        self.counted = None  # the count in SQL, once the grid's was found wrong

    @property
    def unchecked(self):
        """Whether the count comes from the grid, not from SQL (known once count() was called): the Paginator checks
        it against the rows read."""
        return self.scope is not None and self.counted is None

    def count_in_sql(self):
        self.counted = self._count = self._count_in_sql()

    def _ids_sql(self):
        """The list's ids (no order, no join for the cards) with a _Part() ending its WHERE, compiled once: the page's
        statement reads them to choose its circle, and the count counts them. (sql, params, the connection)"""
        if self._ids is None:
            connection = connections[self.queryset.db]
            query = self.queryset.order_by().filter(_Part()).values("pk").query
            self._ids = (*query.get_compiler(connection=connection).as_sql(), connection)
        return self._ids

    def count(self):
        if self._count is None:
            if self.scope is not None:
                # The circle's inside from the grid, its edge in SQL: the whole circle's count read every listing of
                # it (Paris + 50 km at 1,000,000 listings: 167,913 entries of the index, 92 ms).
                self._count = ring.count(self.scope, (*self.point, self.km), self.queryset)
                if self._count is None:  # no grid to read: counted in SQL, nothing to check
                    self.scope = None
            if self._count is None:
                self._count = self._count_in_sql()
        return self._count

    def _count_in_sql(self):
        if not _plain(self.queryset.query):
            return self.queryset.count()
        # The ids compiled for the page, the circle's condition for the _Part(): the list's own count() cost a second
        # compiling of the whole query (Django's get_aggregation()), for the same rows.
        try:
            sql, params, connection = self._ids_sql()
        except EmptyResultSet:  # a filter Django knows leaves nothing (.none(), an empty choice)
            return 0
        before, after = _split(sql)
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COUNT(*) AS "__count" FROM ({before}(1 = 1){after}) nearest_count', params)
            return cursor.fetchone()[0]

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.stop is None or index.step is not None:
            return self.queryset[index]
        start, stop = index.start or 0, index.stop
        share = MARGIN * stop / self.count() if self.count() else 1
        query = self.queryset.query
        if share > MAX_AREA_SHARE or not _plain(query):
            return list(self.queryset[start:stop])
        # One statement, one part: SQL picks the first circle holding `stop` rows among radii growing from a
        # quarter of the guessed one, the whole circle last, and the page is read from it. Any circle holding
        # `stop` rows holds the page, so a choice the data did not foresee costs rows read, never rows missed.
        radii, km = [], self.km * math.sqrt(share) / GROWTH**2
        while km < self.km:
            radii.append(km)
            km *= GROWTH
        circles = [circle(*self.point, km) for km in [*radii, self.km]]
        page = self.queryset.order_by().filter(_Part())
        nearest = _Nearest(self._ids_sql(), circles, query.order_by, start, stop)
        page.query = page.query.chain(_PageQuery)
        page.query.nearest = nearest
        return list(page)


class _Part(Expression):
    """Where the circle's conditions go in the statement's SQL: the last condition of its WHERE, never run."""

    output_field = BooleanField()
    token = "NEAREST_FIRST_PART"

    def as_sql(self, compiler, connection):
        return self.token, []


def _plain(query):
    """Whether the statement can be built from the list's query compiled once: one SELECT whose WHERE ends its SQL,
    ordered by the distance first, then by the listing's own fields or annotations."""
    if "distance_sq" not in query.annotation_select:
        return False
    fields = {field.name for field in query.get_meta().concrete_fields} | {"pk"} | set(query.annotation_select)
    shaped = query.combinator, query.distinct, query.group_by, query.extra, query.extra_order_by, query.values_select
    return (
        not any(shaped)
        and not (query.select_for_update or query.is_sliced)
        and query.order_by
        # A page read from a circle is the list's first rows only when the list puts the nearest first.
        and query.order_by[0] == "distance_sq"
        and all(isinstance(name, str) and name.removeprefix("-") in fields for name in query.order_by)
    )


# The columns of a circle (a row of the statement's VALUES, and of its CTE): circle()'s bounds.
CIRCLE_COLUMNS = ("column1", "column2", "column3", "column4", "column5")  # distance_sq, latitudes, longitudes


class _Nearest:
    """The statement of NearestFirst's page, assembled from the list's query compiled once (what building a union of
    three querysets and compiling it cost: 6.5 ms of CPU a page, more than its SQL).

    Its CTE reads the candidate circles (VALUES: circle()'s bounds and whether it is the whole circle) in order and
    keeps the first that is the whole circle or holds `stop` of the list's rows (EXISTS … OFFSET stop - 1 over the
    list's ids: the index alone, stopping at that row); the page is the list's query within that circle. PostgreSQL
    plans the list's query once and the EXISTS once (a SubPlan run for each candidate tried, its bounds as
    parameters of the index scan), where the union of three parts it replaced planned the list three times and two
    conditions besides (5 ms of planning at 100,000 listings, more than running it). VALUES names its columns
    column1, column2… on PostgreSQL and SQLite alike."""

    def __init__(self, pks, circles, order_by, start, stop):
        """`pks`: (SQL, params, connection) of the list's ids with a _Part() (NearestFirst._ids_sql())."""
        self.pks, self.circles, self.order_by, self.start, self.stop = pks, circles, order_by, start, stop

    def sql(self, compiler, sql, params):
        """The statement, from `sql` and `params`: the list's query compiled by `compiler` with a _Part()."""
        connection, ops = compiler.connection, compiler.connection.ops
        before, after = _split(sql)
        pk_sql, pk_params, compiled_for = self.pks
        if compiled_for is not connection:
            raise ValueError("A page's ids compiled for another database")
        pk_before, pk_after = _split(pk_sql)
        real = "CAST(%s AS DOUBLE PRECISION)"
        values = ", ".join(f"({', '.join([real] * len(CIRCLE_COLUMNS))}, %s)" for _ in self.circles)
        values_params = []
        for i, (latitudes, longitudes, distance_sq) in enumerate(self.circles):
            values_params += [distance_sq, *latitudes, *longitudes, int(i == len(self.circles) - 1)]
        holds, holds_params = self._inside(compiler, [f"nearest_circles.{column}" for column in CIRCLE_COLUMNS])
        holds_page = f"EXISTS ({pk_before}({holds}){pk_after} {ops.limit_offset_sql(self.stop - 1, self.stop)})"
        chosen = (
            f"WITH nearest_circle AS (SELECT {', '.join(CIRCLE_COLUMNS)} FROM (VALUES {values}) AS nearest_circles"
            f" WHERE nearest_circles.column{len(CIRCLE_COLUMNS) + 1} = 1 OR {holds_page} {ops.limit_offset_sql(0, 1)})"
        )
        inside, inside_params = self._inside(
            compiler, [f"(SELECT {column} FROM nearest_circle)" for column in CIRCLE_COLUMNS]
        )
        order = ", ".join(self._position(compiler, name) for name in self.order_by)
        statement = f"{chosen} {before}({inside}){after} ORDER BY {order} {ops.limit_offset_sql(self.start, self.stop)}"
        return statement, [*values_params, *pk_params, *holds_params, *params, *inside_params]

    @staticmethod
    def _inside(compiler, bounds):
        """closer_than()'s condition for a circle's bounds (SQL naming distance_sq, latitudes, longitudes), from the
        distance the list selects (compiling the condition's Q took two thirds of the statement's building: Django
        resolves the distance anew for each)."""
        distance, params = compiler.select[compiler.annotation_col_map["distance_sq"]][1]
        alias, opts = compiler.query.get_initial_alias(), compiler.query.get_meta()
        latitude, longitude = (
            compiler.compile(opts.get_field(name).get_col(alias))[0] for name in ("latitude", "longitude")
        )
        distance_sq, south, north, west, east = bounds
        sql = (
            f"{distance} <= {distance_sq} AND {latitude} BETWEEN {south} AND {north}"
            f" AND {longitude} BETWEEN {west} AND {east}"
        )
        return sql, list(params)

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
