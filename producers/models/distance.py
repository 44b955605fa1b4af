"""Distances from a point in SQL, for ListingQuerySet.within() and closer_than().

An equirectangular approximation in plain arithmetic, so it runs unchanged on SQLite and PostgreSQL; its error is far
below a kilometre at the distances we offer (≤ 50 km).

Each is one expression node writing its SQL itself. The same arithmetic built from F() and numbers is a tree of 15
nodes (and the condition a Q of three lookups, one of them resolving that tree again) which Django copies and
resolves node by node on every search: 40 % of building a filtered list's queryset, and again in each of the three
statements compiled from it (producers.paging). The SQL, its parameters and so the rows are those of that tree.
"""

import math

from django.db.models import BooleanField, Expression, F, FloatField

KM_PER_DEGREE = 111.32


def circle(latitude, longitude, km):
    """The bounds of closer_than()'s condition: ((latitude range), (longitude range), the largest `distance_sq`)."""
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    return (latitude - dlat, latitude + dlat), (longitude - dlon, longitude + dlon), km * km


class _Columns(Expression):
    """An expression over the listing's `longitude` and `latitude` columns (resolved as F() would be)."""

    def __init__(self):
        super().__init__()
        self.columns = [F("longitude"), F("latitude")]

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def _compiled(self, compiler):
        (longitude, longitude_params), (latitude, latitude_params) = (compiler.compile(c) for c in self.columns)
        return (longitude, list(longitude_params)), (latitude, list(latitude_params))


class DistanceSq(_Columns):
    """The squared distance in km² from (latitude, longitude):
    ((longitude - x) × kx)² + ((latitude - y) × ky)², each square written as a product."""

    output_field = FloatField()

    def __init__(self, latitude, longitude):
        super().__init__()
        self.latitude, self.longitude = latitude, longitude
        self.factors = (KM_PER_DEGREE * math.cos(math.radians(latitude)), KM_PER_DEGREE)

    def as_sql(self, compiler, connection):
        (longitude, longitude_params), (latitude, latitude_params) = self._compiled(compiler)
        kx, ky = self.factors
        dx, dx_params = f"(({longitude} - %s) * %s)", [*longitude_params, self.longitude, kx]
        dy, dy_params = f"(({latitude} - %s) * %s)", [*latitude_params, self.latitude, ky]
        return f"(({dx} * {dx}) + ({dy} * {dy}))", [*dx_params, *dx_params, *dy_params, *dy_params]


class CloserThan(_Columns):
    """Within `km` of (latitude, longitude): the box on the indexed coordinates and the distance itself (DistanceSq,
    the annotation within() selects, written again as Django writes an annotation in a WHERE)."""

    output_field = BooleanField()

    def __init__(self, latitude, longitude, km):
        super().__init__()
        self.point, self.km = (latitude, longitude), km
        self.distance = DistanceSq(latitude, longitude)

    def get_source_expressions(self):
        return [*self.columns, self.distance]

    def set_source_expressions(self, exprs):
        *self.columns, self.distance = exprs

    def as_sql(self, compiler, connection):
        (longitude, longitude_params), (latitude, latitude_params) = self._compiled(compiler)
        distance, distance_params = compiler.compile(self.distance)
        # Floats, as the FloatFields' lookups passed them (a whole km² went as 100.0).
        (south, north), (west, east), distance_sq = circle(*self.point, self.km)
        latitudes, longitudes = (float(south), float(north)), (float(west), float(east))
        distance_sq = float(distance_sq)
        sql = f"{distance} <= %s AND {latitude} BETWEEN %s AND %s AND {longitude} BETWEEN %s AND %s"
        params = [*distance_params, distance_sq, *latitude_params, *latitudes, *longitude_params, *longitudes]
        return f"({sql})", params
