"""The embed builder, the embedded pages and oEmbed.

The embedded pages are the one family of pages another site may frame: their Content-Security-Policy lets the
origins of EMBED_FRAME_ANCESTORS (every origin by default) frame them, and they carry no X-Frame-Options; every
other page keeps `frame-ancestors 'none'` and `X-Frame-Options: DENY`. They set no cookie (no form needs a CSRF token,
no session, the language is in the URL) and are cached like the other public pages.
"""

from functools import wraps
from urllib.parse import parse_qsl, urlsplit

from csp.decorators import csp_replace
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from localdir.cache import public_page

from .. import hours, reference, towns
from ..models import Commune, Listing
from ..paging import paged
from ..views import COMMUNE_PAGE_DISTANCE, _commune_defaults, _filterset, _get_department, cards
from .area import DEFAULT_HEIGHT, MIN_HEIGHT, PRESET_FILTERS, Embed
from .forms import EmbedForm

# A short list: the frame is a few hundred pixels high and the map comes first.
EMBED_PER_PAGE = 10
# The width an oEmbed consumer gets when it gives no maxwidth.
OEMBED_WIDTH = 800


def frameable(view):
    """Let other sites frame `view`: the origins of EMBED_FRAME_ANCESTORS, and no X-Frame-Options."""
    exempt = xframe_options_exempt(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        # The setting is read at each request (not once at import), like the rest of the policy.
        return csp_replace({"frame-ancestors": settings.EMBED_FRAME_ANCESTORS})(exempt)(request, *args, **kwargs)

    return wrapper


@require_safe
@public_page
def builder(request):
    data = request.GET.copy()
    if data:
        data.setdefault("area", EmbedForm.TOWN if data.get("commune") else EmbedForm.DEPARTMENT)
        data.setdefault("height", str(DEFAULT_HEIGHT))
        data.setdefault("language", translation.get_language())
        # A town's surroundings, as its page shows them; "in this town only" comes as an empty distance.
        data.setdefault("distance", str(COMMUNE_PAGE_DISTANCE))
        form = EmbedForm(data)
    else:
        form = EmbedForm(initial={"language": translation.get_language(), "distance": str(COMMUNE_PAGE_DISTANCE)})
    embed = form.embed() if form.is_bound else None
    context = {"form": form, "embed": embed, "preset_names": PRESET_FILTERS}
    if embed is not None:
        height = form.cleaned_data["height"]
        context.update(snippet=embed.snippet(height=height), preview_url=embed.path(), height=height)
    if form.town_choices:
        context["town_choices"] = []
        for place in form.town_choices:
            params = request.GET.copy()
            params["commune"], params["commune_code"] = place.label, place.code
            context["town_choices"].append((place, f"{request.path}?{params.urlencode()}"))
    return render(request, "producers/embed/builder.html", context)


def _embedded(request, queryset, context, department=None, defaults=None):
    """The embedded page: the filtered map, a short paginated list, links to the full site in a new tab."""
    filterset = _filterset(request, queryset, department, defaults)
    # Read as the directory pages read theirs: a town's nearest listings from a small circle first.
    listings = paged(filterset, cards(filterset.qs).with_current_closures())
    page = Paginator(listings, EMBED_PER_PAGE).get_page(request.GET.get("page"))
    hours.attach_statuses(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    full_page = context["full_page_url"]
    context.update(
        filter=filterset,
        page_obj=page,
        listings=page.object_list,
        query_string=query.urlencode(),
        full_page_url=f"{full_page}?{query.urlencode()}" if query else full_page,
        preset_fields=[
            filterset.form[name] for name in ("distance", *PRESET_FILTERS, "open_now") if name != "distance" or defaults
        ],
    )
    return render(request, "producers/embed/embedded.html", context)


@frameable
@require_safe
@public_page
def embed_department(request, code, slug):
    department, wrong_slug = _get_department(code, slug)
    if wrong_slug:
        raise Http404
    context = {
        "department": department,
        "title": Embed(department=department, language=translation.get_language()).title(),
        "full_page_url": department.get_absolute_url(),
        "map_center": reference.department_center(department),
        "map_zoom": 9,
        "geojson_url": reverse("producers:department_geojson", kwargs={"code": code, "slug": slug}),
    }
    return _embedded(request, Listing.objects.published().in_department(department), context, department=department)


@frameable
@require_safe
@public_page
def embed_commune(request, insee_code, slug):
    town = get_object_or_404(Commune.objects.select_related("department"), insee_code=insee_code, slug=slug)
    context = {
        "commune": town,
        "department": town.department,
        "title": Embed(town=towns.Place(town), language=translation.get_language()).title(),
        "full_page_url": town.get_absolute_url(),
        "map_center": (town.latitude, town.longitude),
        "map_zoom": 12,
        "geojson_url": reverse("producers:commune_geojson", kwargs={"insee_code": insee_code, "slug": slug}),
    }
    return _embedded(request, Listing.objects.published(), context, defaults=_commune_defaults(town))


def _embed_for_url(url):
    """The Embed showing the page at `url` (a department or town page of this site, in either language, with its
    filters), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(settings.SITE_URL).netloc:
        return None
    language = translation.get_language_from_path(parts.path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):  # i18n_patterns resolve the active language's prefix only
            match = resolve(parts.path)
    except Resolver404:
        return None
    # The filters are checked by the embedded page, like any query string.
    query = dict(parse_qsl(parts.query))
    filters = {name: query[name] for name in PRESET_FILTERS if query.get(name)}
    if match.view_name == "producers:department":
        department = reference.department_by_code().get(match.kwargs["code"])
        if department is None or department.slug != match.kwargs["slug"]:
            return None
        return Embed(department=department, filters=filters, language=language)
    if match.view_name == "producers:commune":
        town = Commune.objects.select_related("department").filter(**match.kwargs).first()
        if town is None:
            return None
        distance = query.get("distance", str(_commune_defaults(town)["distance"]))
        return Embed(town=towns.Place(town), distance=distance, filters=filters, language=language)
    return None


def _dimension(request, name, default, minimum):
    """`default`, or the consumer's maximum when smaller (never below `minimum`, a map needs some room)."""
    try:
        limit = int(request.GET[name])
    except (KeyError, ValueError):
        return default
    return max(min(default, limit), minimum)


@require_safe
@public_page
def oembed(request):
    """oEmbed (https://oembed.com) for department and town pages: a CMS given such a URL embeds the map."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse(status=501)
    embed = _embed_for_url(request.GET.get("url", ""))
    if embed is None:
        raise Http404
    width = _dimension(request, "maxwidth", OEMBED_WIDTH, MIN_HEIGHT)
    height = _dimension(request, "maxheight", DEFAULT_HEIGHT, MIN_HEIGHT)
    return JsonResponse(
        {
            "version": "1.0",
            "type": "rich",
            "provider_name": settings.SITE_NAME,
            "provider_url": settings.SITE_URL + "/",
            "title": embed.title(),
            "html": embed.snippet(height=height, width=width),
            "width": width,
            "height": height,
            "cache_age": settings.PAGE_CACHE_SECONDS,
        }
    )
