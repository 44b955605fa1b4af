"""Public pages of the directory. Only published listings are ever shown."""

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from . import hours
from .filters import ListingFilter, resolve_commune
from .models import Category, Commune, Department, Listing, OpeningSlot

COMMUNE_PAGE_DISTANCE = 10


def home(request):
    departments = Department.objects.annotate(
        listing_count=Count("listings", filter=Q(listings__status=Listing.Status.PUBLISHED))
    ).order_by("code")
    latest = (
        Listing.objects.published()
        .select_related("commune__department")
        .prefetch_related("categories")
        .order_by("-published_at", "-pk")[:8]
    )
    return render(
        request,
        "producers/home.html",
        {"departments": departments, "latest": latest, "query": request.GET.get("commune", "")},
    )


@require_GET
def search(request):
    """The home page's "town or postal code" box: go to the town's surroundings on its department page."""
    query = request.GET.get("commune", "").strip()
    town = resolve_commune(query)
    if town is None:
        return render(
            request,
            "producers/search_not_found.html",
            {"query": query, "suggestions": Commune.objects.search(query).select_related("department")[:10]},
            status=404 if query else 200,
        )
    return redirect(f"{town.department.get_absolute_url()}?commune={town.insee_code}&distance=10")


def department_center(department):
    point = Commune.objects.filter(department=department).aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
    return (point["lat"] or 46.6, point["lon"] or 2.4)


def _get_department(code, slug):
    department = get_object_or_404(Department, code=code.upper())
    return department, slug != department.slug


def _directory_context(request, queryset, department=None, defaults=None):
    """Filter, paginate and annotate listings for a directory page (the list beside the map)."""
    data = request.GET.copy()
    for key, value in (defaults or {}).items():
        data.setdefault(key, value)
    filterset = ListingFilter(data, queryset=queryset, department=department)
    listings = filterset.qs.select_related("commune").prefetch_related("categories")
    page = Paginator(listings, settings.LISTINGS_PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    for listing in page.object_list:
        listing.hours_status = hours.status(listing.opening_hours, now)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter": filterset,
        "page_obj": page,
        "listings": page.object_list,
        "query_string": query.urlencode(),
    }


def department(request, code, slug):
    department, wrong_slug = _get_department(code, slug)
    if wrong_slug:
        url = department.get_absolute_url()
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url, permanent=True)
    context = _directory_context(request, Listing.objects.published().in_department(department), department)
    town = context["filter"].town
    center = (town.latitude, town.longitude) if town else department_center(department)
    context.update(
        department=department,
        map_center=center,
        map_zoom=11 if town else 9,
        geojson_url=reverse("producers:department_geojson", kwargs={"code": department.code, "slug": department.slug}),
    )
    return render(request, "producers/department.html", context)


def commune(request, insee_code, slug):
    town = get_object_or_404(Commune.objects.select_related("department"), insee_code=insee_code.upper())
    if slug != town.slug:
        return redirect(town.get_absolute_url(), permanent=True)
    defaults = {"commune": town.insee_code, "distance": str(COMMUNE_PAGE_DISTANCE)}
    context = _directory_context(request, Listing.objects.published(), defaults=defaults)
    context.update(
        commune=town,
        department=town.department,
        map_center=(town.latitude, town.longitude),
        map_zoom=12,
        geojson_url=reverse("producers:commune_geojson", kwargs={"insee_code": town.insee_code, "slug": town.slug}),
    )
    return render(request, "producers/commune.html", context)


def listing(request, slug):
    item = get_object_or_404(
        Listing.objects.published()
        .select_related("commune__department")
        .prefetch_related("categories", "deliveries__mode", "currencies", "photos"),
        slug=slug,
    )
    context = {
        "listing": item,
        "hours_status": hours.status(item.opening_hours),
        "hours_rows": hours.describe(item.opening_hours),
    }
    return render(request, "producers/listing.html", context)


def _geojson(request, queryset, department=None, defaults=None):
    """The filtered listings as a GeoJSON FeatureCollection for the map, in a constant number of queries."""
    data = request.GET.copy()
    for key, value in (defaults or {}).items():
        data.setdefault(key, value)
    filterset = ListingFilter(data, queryset=queryset, department=department)
    now = timezone.localtime(timezone.now(), hours.PARIS)
    open_slots = OpeningSlot.objects.filter(
        listing=OuterRef("pk"),
        weekday=now.weekday(),
        public_holiday=hours.is_public_holiday(now.date()),
        opens__lte=now.hour * 60 + now.minute,
        closes__gt=now.hour * 60 + now.minute,
    )
    rows = list(
        filterset.qs.annotate(is_open=Exists(open_slots)).values_list(
            "pk", "slug", "name", "latitude", "longitude", "opening_hours", "is_open"
        )
    )
    category_names = dict(Category.objects.values_list("pk", "name"))
    categories = {}
    through = Listing.categories.through.objects.filter(listing__in=filterset.qs.values("pk"))
    for listing_id, category_id in through.values_list("listing_id", "category_id").order_by("category__position"):
        categories.setdefault(listing_id, []).append(category_names[category_id])
    listing_url = reverse("producers:listing", kwargs={"slug": "SLUG"})
    labels = {True: _("Open now"), False: _("Closed"), None: _("Hours not given")}
    features = []
    for pk, slug, name, lat, lon, opening_hours, is_open in rows:
        state = is_open if opening_hours else None
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                "properties": {
                    "name": name,
                    "url": listing_url.replace("SLUG", slug),
                    "categories": ", ".join(categories.get(pk, ())),
                    "is_open": state,
                    "open_label": labels[state],
                },
            }
        )
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, content_type="application/geo+json")


@require_GET
@gzip_page
@cache_control(public=True, max_age=60)
def department_geojson(request, code, slug):
    department, wrong_slug = _get_department(code, slug)
    if wrong_slug:
        raise Http404
    return _geojson(request, Listing.objects.published().in_department(department), department)


@require_GET
@gzip_page
@cache_control(public=True, max_age=60)
def commune_geojson(request, insee_code, slug):
    town = get_object_or_404(Commune, insee_code=insee_code.upper(), slug=slug)
    defaults = {"commune": town.insee_code, "distance": str(COMMUNE_PAGE_DISTANCE)}
    return _geojson(request, Listing.objects.published(), defaults=defaults)


@require_GET
def commune_autocomplete(request):
    """Up to 10 communes matching the typed name or postal code, most populated first."""
    communes = (
        Commune.objects.search(request.GET.get("q", ""))
        .select_related("department")
        .order_by("-population")[:10]
    )
    return JsonResponse(
        {
            "results": [
                {
                    "insee_code": c.insee_code,
                    "name": c.name,
                    "department": c.department.code,
                    "postal_codes": c.postal_code_list,
                    "label": f"{c.name} ({c.department.code})",
                    "latitude": c.latitude,
                    "longitude": c.longitude,
                }
                for c in communes
            ]
        }
    )
