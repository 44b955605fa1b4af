"""What the directory pages hand to Django's Paginator: a count and a page of listings, each read the cheap way.

Django's Paginator asks its list for `count()` and for a slice. A queryset answers both in the obvious way, which
costs what the whole filtered set costs: the national list counted every published listing (a second at 1,000,000
listings), and a list ordered by distance read every listing of the circle from the table and sorted them all to
keep 20 (Lille + 10 km at 1,000,000 listings: 10,828 rows, 60 ms; Paris + 50 km: 167,913 rows, 4.8 s). Here:

- the national list without filters is counted from the stored counts per department (producers.counts), which
  every publication and withdrawal recounts;
- a list ordered by distance reads its page from a smaller circle first: every listing of a circle of radius r
  comes before every listing farther than r, so when the circle holds the page's last row, its page is the page.
  The radius is guessed from the count, for the circle to hold a few times the rows needed were the listings
  spread evenly; they crowd in towns, around the very point searched: a circle four times narrower is tried first
  (Paris + 50 km at 1,000,000 listings: 9,163 rows within the guessed 1.1 km, 570 within 270 m). When neither
  holds enough rows (the listings crowd at the edge), the page is read from the whole circle, as before: one to
  three queries, each reading what its circle holds. Same rows, same order.
"""

import math

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

    def count(self):
        return sum(department.listing_count for department in reference.departments())

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


def paged(filterset, listings, all_published=False):
    """`listings` (the filterset's, ready for their cards) as the Paginator should read them; `all_published` says
    the filterset's queryset is every published listing (the national map's list)."""
    if filterset.nearest_first:
        return NearestFirst(listings, *filterset.nearest_first)
    if all_published and filterset.is_valid() and not filterset.is_filtered:
        return StoredCount(listings)
    return listings
