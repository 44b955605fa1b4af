"""What the directory pages hand to Django's Paginator: a count and a page of listings, each read the cheap way.

Django's Paginator asks its list for `count()` and for a slice. A queryset answers both in the obvious way, which
costs what the whole filtered set costs: the national list counted every published listing (a second at 1,000,000
listings), and a list ordered by distance read every listing of the circle from the table and sorted them all to
keep 20 (Lille + 10 km at 1,000,000 listings: 10,828 rows, 60 ms; Paris + 50 km: 167,913 rows, 4.8 s). Here:

- a list without filters (the national list, a department's) is counted from the stored counts per department
  (producers.counts), which every publication and withdrawal recounts. A stored count can still be wrong (a
  `QuerySet.update()` in a shell, a recount that failed after its commit and was only logged; `manage.py
  recount_listings` repairs them daily): the Paginator below checks it against the rows each page reads, and counts
  in SQL when they disagree, so that no listing falls off the last page and no page repeats another's rows. Its
  page is read by a statement Django compiles once per process for each department (StoredCount): compiling the same
  query anew on each visit cost more CPU than the rest of reading the page;
- a list ordered by distance reads its page from a smaller circle first: every listing of a circle of radius r
  comes before every listing farther than r, so when the circle holds the page's last row, its page is the page.
  The radius is guessed from the count, for the circle to hold a few times the rows needed were the listings
  spread evenly; they crowd in towns, around the very point searched (Paris + 50 km at 1,000,000 listings: 9,163
  rows within the guessed 1.1 km, 570 within 270 m): the statement tries radii from a quarter of the guess,
  doubling, and reads the page from the first circle holding its last row; when none does (the listings crowd at
  the edge), from the whole circle, as before. One statement whatever the data (the page's query count stays
  constant). Same rows, same order. With a town and a distance alone, over every published listing of France or of
  a department, it is counted from the maps' grid (producers.maps.ring.count(): the cells wholly inside the circle
  from the grid, only those its edge crosses in SQL), a count the Paginator checks as it checks a stored one: the
  whole circle's count read every listing of it (Paris + 50 km at 1,000,000 listings: 167,913, 92 ms).
"""

from django.core import paginator

from .. import reference
from ..maps import grid
from .compiled import compiled_once
from .nearest import GROWTH, MARGIN, MAX_AREA_SHARE, NearestFirst

__all__ = ["ALL", "GROWTH", "MARGIN", "MAX_AREA_SHARE", "NearestFirst", "Paginator", "StoredCount", "paged"]

# paged()'s `stored`: every published listing, counted from all departments' stored counts.
ALL = object()


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

    @property
    def unchecked(self):
        """Whether the count is the stored one, not one made in SQL: the Paginator checks it against the rows read."""
        return self.counted is None

    def count_in_sql(self):
        self.counted = self.queryset.count()

    def __getitem__(self, index):
        if isinstance(index, slice) and index.step is None and 0 <= (index.start or 0) < (index.stop or -1):
            return compiled_once(self.queryset, index.start or 0, index.stop)
        # An empty, open-ended or negative slice as Django reads it: no query for [0:0], a ValueError for [0:-1].
        return self.queryset[index]


class Paginator(paginator.Paginator):
    """Django's Paginator, which checks a count not made in SQL (StoredCount's, NearestFirst's from the maps' grid)
    against the rows read.

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
        if not self._unchecked():  # counted in SQL already (or NearestFirst without a grid to count from)
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
        return getattr(self.object_list, "unchecked", False)

    def _count_in_sql(self):
        self.object_list.count_in_sql()
        for name in ("count", "num_pages"):  # cached properties computed from the stored count
            self.__dict__.pop(name, None)


def paged(filterset, listings, stored=None):
    """`listings` (the filterset's, ready for their cards) as the Paginator should read them. `stored` says the
    filterset's queryset is every published listing whose count is stored: `ALL` (the national map's list, a town's
    page), or a department (its page); a town and a distance alone are then counted from the maps' grid."""
    if filterset.nearest_first:
        scope = None
        if stored is not None and filterset.circle_alone:
            scope = grid.FRANCE if stored is ALL else stored.pk
        return NearestFirst(listings, *filterset.nearest_first, scope=scope)
    if stored is not None and filterset.is_valid() and not filterset.is_filtered:
        return StoredCount(listings, None if stored is ALL else stored)
    return listings
