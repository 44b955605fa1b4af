"""The URLs `make bench` measures. To measure another page, add a line to PAGES (and, when its path depends on the
data, a key to the dictionary QUERY prints).

A path that answers 404 on the code being measured (a page not on main yet) is listed as "not available", never
left out silently; any other status other than 200 stops the benchmark.
"""

from dataclasses import dataclass

from .server import django_query

DEPARTMENT = "59"  # Nord: ~3.8 % of the listings, as in France's population
TOWN = "59350"  # Lille
TOWN_KM = 10
# The same at every scale (a category chosen from the data would change with it); seeded by migration 0002.
CATEGORY = "fruits-legumes"
# Map views as visible boxes (west,south,east,north): Paris (48.8566 N, 2.3522 E) + 50 km, metropolitan France
PARIS_50_KM = "1.6684,48.4074,3.0360,49.3058"
FRANCE = "-5.5,41.2,10.0,51.2"
NORD = "2.06,49.97,4.24,51.09"  # the department's map once it has fitted its view (zoom 9)


@dataclass(frozen=True)
class Page:
    name: str
    label: str
    path: str  # a path, or "{key}" formatted with what QUERY prints
    geojson: bool = False
    goal_p95_ms: float | None = None  # issue 11's goals, for a cache miss
    goal_gzip_kb: float | None = None


PAGES = [
    Page("ceiling", "the minimal Django view (bench/urls.py)", "/bench/ceiling/"),
    Page("home", "home page /", "/", goal_p95_ms=10),
    Page("department", f"department {DEPARTMENT} (Nord)", "{department}", goal_p95_ms=25),
    Page("filtered", f"Lille + {TOWN_KM} km + {CATEGORY}", "{filtered}", goal_p95_ms=30),
    Page("listing", f"a listing page in {DEPARTMENT}", "{listing}", goal_p95_ms=12),
    Page("dept.geojson", f"map data of department {DEPARTMENT}", "{department}carte.geojson", True, 30, 50),
    Page("dept.geojson box", "the same for its view", f"{{department}}carte.geojson?bbox={NORD}&zoom=9", True, 30, 50),
    Page("carte", "national map page /carte/", "/carte/"),
    Page("france.geojson", "map data, all of France", f"/carte.geojson?bbox={FRANCE}&zoom=6", True, 40, 50),
    Page("paris50.geojson", "map data, Paris + 50 km", f"/carte.geojson?bbox={PARIS_50_KM}&zoom=9", True, 40, 50),
    # The public API (producers/api/, docs/partners.en.md): pages of 50 listings as the open-data columns.
    Page("api.listings", "API: the first 50 listings of France", "/api/v1/listings"),
    Page("api.deep", "API: 50 listings from the middle of France's", "/api/v1/listings?cursor={middle_cursor}"),
    Page("api.filtered", f"API: Lille + {TOWN_KM} km + {CATEGORY}", "/api/v1/listings?{filtered_query}"),
    Page(
        "api.department",
        f"API: department {DEPARTMENT}, 200 as GeoJSON",
        f"/api/v1/listings.geojson?department={DEPARTMENT}&limit=200",
    ),
    Page("api.listing", "API: one listing", "/api/v1/listings/{listing_slug}"),
    Page("api.map", "API: the map, Paris + 50 km", f"/api/v1/map?bbox={PARIS_50_KM}&zoom=9", True),
]

QUERY = f"""
import json
from base64 import urlsafe_b64encode
from producers.models import Category, Commune, Department, Listing
department = Department.objects.get(code={DEPARTMENT!r})
town = Commune.objects.get(insee_code={TOWN!r})
listings = Listing.objects.published()
in_department = listings.in_department(department).order_by("pk")
near = listings.within(town.latitude, town.longitude, {TOWN_KM})
category = Category.objects.get(slug={CATEGORY!r})
count = in_department.count()
middle = listings.order_by("pk").values_list("pk", flat=True)[listings.count() // 2]
listing = in_department[count // 2]
filtered_query = f"commune={TOWN}&distance={TOWN_KM}&category={{category.slug}}"
print(json.dumps({{
    "department": department.get_absolute_url(),
    "filtered": f"{{department.get_absolute_url()}}?{{filtered_query}}",
    "filtered_query": filtered_query,
    "listing": listing.get_absolute_url(),
    "listing_slug": listing.slug,
    "middle_cursor": urlsafe_b64encode(str(middle).encode()).decode().rstrip("="),
    "listings": listings.count(),
    "department_listings": count,
    "near_listings": near.count(),
    "category": category.slug,
    "category_near_listings": near.filter(categories=category).count(),
}}))
"""


def resolve(env):
    """({name: (Page, path)}, facts about the data) for the database in `env`."""
    facts = django_query(env, QUERY)
    return {page.name: (page, page.path.format(**facts)) for page in PAGES}, facts
