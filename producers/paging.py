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

import math

from django.core import paginator
from django.db import connections
from django.db.models import BooleanField, prefetch_related_objects
from django.db.models.expressions import RawSQL

from . import reference
from .models.listing import closer_than

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
        if share > MAX_AREA_SHARE:
            return list(self.queryset[start:stop])
        # One statement whatever the data: the smallest circle's rows; the ring around it, only when that circle
        # holds fewer than `stop` rows; the rest of the whole circle, only when the second circle does too (each
        # part excludes the one inside it by the very same condition, so no row is missed or read twice). A part's
        # condition names no row of its own: PostgreSQL checks it once and never starts the part's scan, SQLite
        # tests it before its loop. When the smallest circle holds the page, it is read from it as before, plus two
        # index scans that stop at the circles' `stop`-th row.
        # What the queryset prefetches (the cards' closures) is fetched for the rows kept only.
        rows = self.queryset.prefetch_related(None).order_by()
        smaller, small = (closer_than(*self.point, self.km * math.sqrt(share) / k) for k in (4, 1))
        union = rows.filter(smaller).union(
            rows.filter(small).exclude(smaller).filter(self._falls_short(rows, smaller, stop)),
            rows.exclude(small).filter(self._falls_short(rows, small, stop)),
            all=True,
        )
        page = list(union.order_by(*self.queryset.query.order_by)[start:stop])
        prefetch_related_objects(page, *self.queryset._prefetch_related_lookups)
        return page

    @staticmethod
    def _falls_short(rows, circle, n):
        """The condition that `circle` holds fewer than `n` of `rows`.

        As SQL compiled once: an Exists() of the queryset is resolved again inside each part of the union, which
        took 5 ms of CPU a page (two thirds of the page's query building)."""
        inside = rows.filter(circle).values("pk")[n - 1 : n]
        sql, params = inside.query.get_compiler(using=inside.db).as_sql()
        if connections[inside.db].vendor == "postgresql":
            # The whole circle's part is costly to the planner, which would read it with parallel workers, and
            # start them (30 ms at 1,000,000 listings) even when its condition then skips the part. A function
            # PostgreSQL may not run in parallel (the planner checks before folding `OR TRUE` away) prevents that.
            sql = f"(pg_current_xact_id_if_assigned() IS NULL OR TRUE) AND NOT EXISTS ({sql})"
        else:
            sql = f"NOT EXISTS ({sql})"
        return RawSQL(sql, params, output_field=BooleanField())


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
