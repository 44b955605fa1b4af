"""What the directory pages hand to Django's Paginator: a count and a page of listings, each read the cheap way.

Django's Paginator asks its list for `count()` and for a slice. A queryset answers both in the obvious way, which
costs what the whole filtered set costs: the national list counted every published listing (a second at 1,000,000
listings), and a list ordered by distance read every listing of the circle from the table and sorted them all to
keep 20 (Lille + 10 km at 1,000,000 listings: 10,828 rows, 60 ms; Paris + 50 km: 167,913 rows, 4.8 s). Here:

- the national list without filters is counted from the stored counts per department (producers.counts), which
  every publication and withdrawal recounts. A stored count can still be wrong (a `QuerySet.update()` in a shell, a
  recount that failed after its commit and was only logged; `manage.py recount_listings` repairs them daily): the
  Paginator below checks it against the rows each page reads, and counts in SQL when they disagree, so that no
  listing falls off the last page and no page repeats another's rows;
- a list ordered by distance reads its page from a smaller circle first: every listing of a circle of radius r
  comes before every listing farther than r, so when the circle holds the page's last row, its page is the page.
  The radius is guessed from the count, for the circle to hold a few times the rows needed were the listings
  spread evenly; they crowd in towns, around the very point searched: a circle four times narrower is tried first
  (Paris + 50 km at 1,000,000 listings: 9,163 rows within the guessed 1.1 km, 570 within 270 m). When neither
  holds enough rows (the listings crowd at the edge), the page is read from the whole circle, as before: one to
  three queries, each reading what its circle holds. Same rows, same order.
"""

import math

from django.core import paginator
from django.db.models import prefetch_related_objects

from . import reference

# The smaller circle is chosen to hold this many times the rows the page needs (if listings were spread evenly).
MARGIN = 4
# Below this share of the whole circle's area, a smaller circle is worth a try.
MAX_AREA_SHARE = 0.5


class StoredCount:
    """All published listings, counted from the stored counts per department; sliced as the queryset."""

    def __init__(self, queryset):
        self.queryset = queryset
        self.counted = None  # the count in SQL, once the stored one was found wrong

    def count(self):
        if self.counted is not None:
            return self.counted
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
        if share <= MAX_AREA_SHARE:
            # What the queryset prefetches (the cards' closures) is fetched for the rows kept only.
            attempt = self.queryset.prefetch_related(None)
            for radius in self.km * math.sqrt(share) / 4, self.km * math.sqrt(share):
                rows = list(attempt.closer_than(*self.point, radius)[start:stop])
                if len(rows) == stop - start:  # the circle holds at least `stop` rows: those are the first ones
                    prefetch_related_objects(rows, *self.queryset._prefetch_related_lookups)
                    return rows
        return list(self.queryset[start:stop])


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


def paged(filterset, listings, all_published=False):
    """`listings` (the filterset's, ready for their cards) as the Paginator should read them; `all_published` says
    the filterset's queryset is every published listing (the national map's list)."""
    if filterset.nearest_first:
        return NearestFirst(listings, *filterset.nearest_first)
    if all_published and filterset.is_valid() and not filterset.is_filtered:
        return StoredCount(listings)
    return listings
