"""Public pages of the directory. Only published listings are ever shown."""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_safe

from localdir import localized
from localdir.cache import cached_data, public_page
from localdir.context_processors import site

from . import (
    attendances,
    details,
    hours,
    listing_page,
    maps,
    markets,
    paging,
    reference,
    results_link,
    statuses,
    towns,
)
from .cards import attach_cards, card_html
from .filters import ListingFilter
from .markets.stands import stands_by_category
from .models import Commune, Department, Listing
from .models.closures import closed_until, paris_today
from .paging import Paginator, paged

COMMUNE_PAGE_DISTANCE = 10
TOWN_KEYS = ("commune", "commune_code", "page")


# What a listing card shows (templates/producers/includes/listing_card.html), and nothing else: a listing's
# descriptions, search stems and phone number (parsed on load) cost more than the rest of the card. Categories are
# fetched only for the cards not already cached (producers.cards).
CARD_FIELDS = ["name", "slug", "kind", "short_description", "opening_hours", "commune__name"]


def cards(listings, with_department=False):
    """`listings` with only what their cards show."""
    fields = [*CARD_FIELDS, "commune__department__code"] if with_department else CARD_FIELDS
    related = "commune__department" if with_department else "commune"
    return listings.select_related(related).only(*fields)


def _latest_listings():
    return list(cards(Listing.objects.published(), with_department=True).order_by("-published_at", "-pk")[:8])


@require_safe
@public_page
def home(request):
    # They change only when a listing is published, withdrawn or edited, which drops the cached data: the query
    # (compiled and planned on every miss) is not worth running for each visitor. Only their cards are shown:
    # card_html() leaves the shared instances as they are, so they need no copies (copying 8 model instances took a
    # sixth of the view).
    latest = card_html(cached_data("home.latest", _latest_listings), show_department=True)
    return render(request, "producers/home.html", {"latest": latest, "query": request.GET.get("commune", "")})


def town_query(place, **extra):
    """Query parameters naming a place in the town box: its label, and the hidden code when the label alone would
    not lead back to it (a homonym in the same department)."""
    params = {"commune": place.label}
    if towns.resolve(place.label).place != place:
        params["commune_code"] = place.code
    return {**params, **extra}


def _town_choice(request, query, choices):
    """The page asking which place was meant: each choice is the same search with that place (works without JS)."""
    links = []
    for place in choices:
        params = request.GET.copy()
        params.pop("page", None)
        params["commune"], params["commune_code"] = place.label, place.code
        links.append((place, f"{request.path}?{params.urlencode()}"))
    # Typing another town keeps the rest of the search (distance, category…) and the page it was made on.
    kept = [(key, value) for key, values in request.GET.lists() if key not in TOWN_KEYS for value in values]
    return render(request, "producers/town_choice.html", {"query": query, "choices": links, "kept": kept})


@require_GET
def search(request):
    """The home page's "town or postal code" box: go to the town's surroundings on its department page."""
    query = request.GET.get("commune", "").strip()
    resolution = towns.resolve(query, code=request.GET.get("commune_code"))
    if resolution.choices:
        return _town_choice(request, query, resolution.choices)
    town = resolution.place
    if town is None:
        return render(
            request,
            "producers/search_not_found.html",
            {"query": query, "suggestions": towns.suggest(query)},
            status=404 if query else 200,
        )
    params = town_query(town, distance=COMMUNE_PAGE_DISTANCE)
    return redirect(f"{town.department.get_absolute_url()}?{urlencode(params)}")


def _get_department(code, slug):
    department = reference.department_by_code().get(code)  # upper-cased by the URL converter
    if department is None:
        raise Http404
    return department, slug != department.slug


def _commune_defaults(town):
    """A town's page shows the listings around it unless the query string says otherwise."""
    place = towns.Place(town)
    return {"commune": place.label, "commune_code": place.code, "distance": str(COMMUNE_PAGE_DISTANCE)}


def _filterset(request, queryset, department=None, defaults=None):
    """The query string's filters (with the page's defaults) over `queryset`: the list and its map share it.

    A query that names a town replaces the page's defaults: "in this town only" leaves `distance` out of the URL,
    which must not bring the default radius back.
    """
    data = request.GET.copy()
    if "commune" not in data:
        for key, value in (defaults or {}).items():
            data.setdefault(key, value)
    return ListingFilter(data, queryset=queryset, department=department)


def _directory_context(request, queryset, department=None, defaults=None, stored=None):
    """Filter, paginate and annotate listings for a directory page (the list beside the map).

    `stored`: `queryset` is every published listing of a department (that department), or of France
    (`paging.ALL`), whose count is stored, and whose circles the maps' grid counts (producers.paging)."""
    filterset = _filterset(request, queryset, department, defaults)
    listings = paged(filterset, cards(filterset.qs), stored)
    page = Paginator(listings, settings.LISTINGS_PER_PAGE).get_page(request.GET.get("page"))
    attach_cards(statuses.attach(page.object_list), link_query=results_link.card_query(request))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page_obj": page,
        "listings": page.object_list,
        "query_string": query.urlencode(),
    }
    if filterset.town_elsewhere:
        town = filterset.town
        params = town_query(town, distance=filterset.form.cleaned_data.get("distance") or COMMUNE_PAGE_DISTANCE)
        context["town_elsewhere_url"] = f"{town.department.get_absolute_url()}?{urlencode(params)}"
    return context


def _clean_url(request):
    """The page's URL without the parameters the filter form sent empty (`?q=&kind=`), or None if it has none.

    A shared search is then a short, canonical URL, and the redirect needs no JavaScript.
    """
    pairs = [(key, value) for key, values in request.GET.lists() for value in values]
    kept = [(key, value) for key, value in pairs if value.strip()]
    if len(kept) == len(pairs):
        return None
    return f"{request.path}?{urlencode(kept)}" if kept else request.path


# What a department's page shows that depends on the department and the language only (templates/producers/
# department/): its title, the <head> links (canonical, Open Graph, the exports, the map's stylesheets, the Mag's
# feeds), the breadcrumb and heading, the markets links and the open-data links.
DEPARTMENT_PARTS = ("title", "head", "top", "markets", "open_data")


def _department_parts(department):
    """{part: HTML} of DEPARTMENT_PARTS, rendered once per department and language and kept with the cached data
    (localdir.cache): their fifteen URLs, translations and two inclusion tags were a third of the page's template
    time on each visit the page cache missed."""

    def render():
        context = {**site(None), "department": department}
        return {part: render_to_string(f"producers/department/{part}.html", context) for part in DEPARTMENT_PARTS}

    parts = cached_data(f"department.{department.code}.parts.{get_language()}", render)
    return {part: mark_safe(html) for part, html in parts.items()}


@require_safe
@public_page
def department(request, code, slug):
    department, wrong_slug = _get_department(code, slug)
    if wrong_slug:
        url = department.get_absolute_url()
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url, permanent=True)
    if clean_url := _clean_url(request):
        return redirect(clean_url)
    published = Listing.objects.published().in_department(department)
    context = _directory_context(request, published, department, stored=department)
    if context["filter"].town_choices:
        return _town_choice(request, request.GET.get("commune", ""), context["filter"].town_choices)
    town = context["filter"].town
    center = (town.latitude, town.longitude) if town else reference.department_center(department)
    context.update(
        department=department,
        map_center=center,
        map_zoom=11 if town else 9,
        geojson_url=reverse("producers:department_geojson", kwargs={"code": department.code, "slug": department.slug}),
        department_parts=_department_parts(department),
    )
    return render(request, "producers/department.html", context)


@require_safe
@public_page
def commune(request, insee_code, slug):
    town = get_object_or_404(Commune.objects.select_related("department"), insee_code=insee_code)
    if slug != town.slug:
        # Renamed or merged (on 1 January): the old address keeps its search, as the department pages' do.
        url = town.get_absolute_url()
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url, permanent=True)
    if clean_url := _clean_url(request):
        return redirect(clean_url)
    context = _directory_context(
        request, Listing.objects.published(), defaults=_commune_defaults(town), stored=paging.ALL
    )
    if context["filter"].town_choices:
        return _town_choice(request, request.GET.get("commune", ""), context["filter"].town_choices)
    context.update(
        commune=town,
        department=town.department,
        map_center=(town.latitude, town.longitude),
        map_zoom=12,
        geojson_url=reverse("producers:commune_geojson", kwargs={"insee_code": town.insee_code, "slug": town.slug}),
    )
    return render(request, "producers/commune.html", context)


@require_safe
@results_link.remembered
@public_page
def listing(request, slug):
    item = details.listing(slug)
    if item is None:
        raise Http404
    today = paris_today()
    related = details.load(item, today)
    closures = related.closures
    context = {
        "listing": item,
        "page": listing_page.prepare(item, related.photos),
        "categories": related.categories,
        "deliveries": related.deliveries,
        "currencies": related.currencies,
        "photos": related.photos,
        "hours_status": hours.status(item.opening_hours, closures=closures),
        "hours_rows": hours.describe(item.opening_hours),
        "closed_now": next((closure for closure in closures if closure.covers(today)), None),
        "closed_until": closed_until(closures, today),
        "closures": closures,
        # A producer's markets (a market's own page lists its stands instead).
        "visits": attendances.producer_visits(item) if related.at_markets and not item.is_market else [],
    }
    if markets.is_market(item):
        context["market_dates"] = markets.next_occurrences(item, count=5)
        context["market_calendar_url"] = reverse("producers:market_calendar", kwargs={"slug": item.slug})
        context["stands"] = stands_by_category(item)
    # Its seventeen constant translations written in once per language (localdir.localized).
    return HttpResponse(localized.get_template("producers/listing.html").render(context, request))


GEOJSON = "application/geo+json"


def _geojson(request, queryset, department=None, defaults=None, default_zoom=9, scope=None):
    """The filtered listings inside the map's visible box (`bbox`, `zoom`), one by one or in clusters: see maps/.

    Without a bbox, all of them (a department or commune map's first request, before it fits its view to them).
    `scope` names the unfiltered set (all of France, the department) whose clusters the maps' grid keeps: used when
    nothing filters it, or a town and a distance only (maps/ring.py).
    """
    try:
        viewport = maps.Viewport.from_query(request.GET, default_zoom)
    except maps.BadViewport as error:
        return JsonResponse({"error": str(error)}, status=400)
    if not defaults and request.GET.keys().isdisjoint(ListingFilter.base_filters):
        # Nothing filters the map (a box and a zoom at most): the filter form built and checked for nothing was a
        # tenth of the answer's CPU on a cache miss. The filterset would give this very queryset, unfiltered.
        data = maps.collection(queryset, viewport, scope=scope)
        return HttpResponse(json.dumps(data, ensure_ascii=False, separators=(",", ":")), content_type=GEOJSON)
    filterset = _filterset(request, queryset, department, defaults)
    listings = filterset.qs
    valid = scope is not None and filterset.is_valid()
    # Another filter than the town and distance changes what a cell of the grid holds: counted in SQL.
    circle = filterset.circle_alone if valid else None
    if not (valid and (circle or not filterset.is_filtered)):
        scope = None
    data = maps.collection(listings, viewport, scope=scope, circle=circle)
    return HttpResponse(json.dumps(data, ensure_ascii=False, separators=(",", ":")), content_type=GEOJSON)


@require_safe
@public_page
def department_geojson(request, code, slug):
    department, wrong_slug = _get_department(code, slug)
    if wrong_slug:
        raise Http404
    return _geojson(request, Listing.objects.published().in_department(department), department, scope=department.pk)


@require_safe
@public_page
def commune_geojson(request, insee_code, slug):
    town = get_object_or_404(Commune.objects.select_related("department"), insee_code=insee_code, slug=slug)
    return _geojson(
        request,
        Listing.objects.published(),
        defaults=_commune_defaults(town),
        default_zoom=12,
        scope=maps.grid.FRANCE,
    )


@require_safe
@public_page
def france_geojson(request):
    return _geojson(request, Listing.objects.published(), default_zoom=6, scope=maps.grid.FRANCE)


def _bounds_attribute(bounds):
    """ "west,south,east,north" for a data attribute, whatever the language's decimal separator."""
    return ",".join(f"{value:g}" for value in bounds)


# The national map opens on a town's surroundings at the zoom that shows the distance asked.
ZOOM_FOR_DISTANCE = {0: 13, 5: 12, 10: 11, 20: 10, 50: 9}


@require_safe
@public_page
def france_map(request):
    """All of France on one map, with the department pages' filters and their list beside it."""
    if clean_url := _clean_url(request):
        return redirect(clean_url)
    context = _directory_context(request, Listing.objects.published(), stored=paging.ALL)
    if context["filter"].town_choices:
        return _town_choice(request, request.GET.get("commune", ""), context["filter"].town_choices)
    town = context["filter"].town
    overseas = Department.objects.filter(code__in=maps.OVERSEAS_BOUNDS).only("code", "name", "slug").order_by("code")
    if town:
        distance = int(context["filter"].form.cleaned_data.get("distance") or 0)
        context.update(map_center=(town.latitude, town.longitude), map_zoom=ZOOM_FOR_DISTANCE.get(distance, 11))
    else:
        context["map_bounds"] = _bounds_attribute(maps.FRANCE_BOUNDS)
    context.update(
        geojson_url=reverse("producers:france_geojson"),
        map_by_view=True,
        france_bounds=_bounds_attribute(maps.FRANCE_BOUNDS),
        overseas=[(department, _bounds_attribute(maps.OVERSEAS_BOUNDS[department.code])) for department in overseas],
    )
    return render(request, "producers/france_map.html", context)


@require_GET
def listing_autocomplete(request):
    """Up to 10 published markets (`kind=market`) or other listings matching the typed name, for the rows of the
    markets a producer attends or of a market's stands: their label is what the form reads back."""
    query = " ".join(request.GET.get("q", "")[:100].split())
    listings = Listing.objects.published().select_related("commune")
    if request.GET.get("kind") == Listing.Kind.MARKET:
        listings = listings.filter(kind=Listing.Kind.MARKET)
    else:
        listings = listings.exclude(kind=Listing.Kind.MARKET)
    found = list(listings.search(query)[:10]) if len(query) >= 2 else []
    return JsonResponse(
        {
            "results": [
                {"label": attendances.label(listing), "name": listing.name, "hint": listing.commune.name}
                for listing in found
            ]
        }
    )


@require_GET
def commune_autocomplete(request):
    """Up to 10 places matching the typed name, label or postal code: exact names and the page's department first
    (`department` is its code), then the most populated."""
    department = Department.objects.filter(code=request.GET.get("department", "").upper()).first()
    places = towns.suggest(request.GET.get("q", "")[:100], department=department)
    return JsonResponse(
        {
            "results": [
                {
                    "insee_code": place.code,
                    "name": place.name,
                    "commune": place.commune.name,
                    "department": place.department.code,
                    "postal_codes": place.postal_code_list,
                    "label": place.label,
                    "latitude": place.latitude,
                    "longitude": place.longitude,
                }
                for place in places
            ]
        }
    )
