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
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from localdir.cache import public_page

from .. import reference, statuses, towns
from ..models import Commune, Listing
from ..paging import Paginator, paged
from ..views import COMMUNE_PAGE_DISTANCE, _commune_defaults, _filterset, _get_department, cards
from .area import DEFAULT_HEIGHT, PRESET_FILTERS, Embed, town_page_distance
from .forms import EmbedForm

# A short list: the frame is a few hundred pixels high and the map comes first.
EMBED_PER_PAGE = 10
# The width an oEmbed consumer gets when it gives no maxwidth.
OEMBED_WIDTH = 800


def frame_ancestors():
    """EMBED_FRAME_ANCESTORS, with the site itself when the list is restricted: the builder's preview frames the
    embedded page from our own origin."""
    ancestors = list(settings.EMBED_FRAME_ANCESTORS)
    if "*" not in ancestors and "'self'" not in ancestors:
        ancestors.insert(0, "'self'")
    return ancestors


def frameable(view):
    """Let other sites frame `view`: the origins of EMBED_FRAME_ANCESTORS, and no X-Frame-Options.

    Its "not found" page too: a partner whose town was merged sees the site's 404 in the frame, not the browser's
    refusal to show it."""

    @wraps(view)
    def or_not_found(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404 as exception:
            return response_for_exception(request, exception)

    exempt = xframe_options_exempt(or_not_found)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        # The setting is read at each request (not once at import), like the rest of the policy.
        return csp_replace({"frame-ancestors": frame_ancestors()})(exempt)(request, *args, **kwargs)

    return wrapper


def _moved(request, url):
    """A permanent redirect to `url` with the request's query string: an old slug (a department renamed, a town
    renamed or merged on 1 January) keeps working in the partners' pages, as on the directory's own."""
    return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url, permanent=True)


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
    listings = paged(filterset, cards(filterset.qs))
    page = Paginator(listings, EMBED_PER_PAGE).get_page(request.GET.get("page"))
    statuses.attach(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    full_page = context["full_page_url"]
    embed = context["embed"]
    if embed.town is not None:
        # "Around Angers" or "in Angers": the distance the page really shows (the filters may change it).
        embed.distance = filterset.form.cleaned_data.get("distance") or ""
    context.update(
        title=embed.title(),
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
        return _moved(request, reverse("producers:embed_department", kwargs={"code": code, "slug": department.slug}))
    context = {
        "department": department,
        "embed": Embed(department=department, language=translation.get_language()),
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
    town = get_object_or_404(Commune.objects.select_related("department"), insee_code=insee_code)
    if slug != town.slug:
        return _moved(request, reverse("producers:embed_commune", kwargs={"insee_code": insee_code, "slug": town.slug}))
    context = {
        "commune": town,
        "department": town.department,
        "embed": Embed(town=towns.Place(town), language=translation.get_language()),
        "full_page_url": town.get_absolute_url(),
        "map_center": (town.latitude, town.longitude),
        "map_zoom": 12,
        "geojson_url": reverse("producers:commune_geojson", kwargs={"insee_code": insee_code, "slug": slug}),
    }
    return _embedded(request, Listing.objects.published(), context, defaults=_commune_defaults(town))


def _town_searched(query, department):
    """The place a department page's town box found (a towns.Place), or None (none typed, unknown, or several:
    the page then asks which, and the embed shows the department)."""
    if not query.get("commune", "").strip():
        return None
    return towns.resolve(query["commune"], code=query.get("commune_code") or None, department=department).place


def _embed_for_url(url):
    """The Embed showing the page at `url` (a department or town page of this site, in either language, with its
    filters), or None."""
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1": not an address at all
        return None
    if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(settings.SITE_URL).netloc:
        return None
    language = translation.get_language_from_path(parts.path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):  # i18n_patterns resolve the active language's prefix only
            match = resolve(parts.path)
    except Resolver404:
        return None
    # The filters are checked by the embedded page, like any query string.
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    filters = {name: query[name] for name in PRESET_FILTERS if query.get(name)}
    # By code alone: an old slug's page redirects to the current one (a town renamed or merged on 1 January).
    if match.view_name == "producers:department":
        department = reference.department_by_code().get(match.kwargs["code"])
        if department is None:
            return None
        # The home page's town search lands on the department page: it shows the town, so does the embed.
        town = _town_searched(query, department)
        if town is not None:
            return Embed(town=town, distance=town_page_distance(query), filters=filters, language=language)
        return Embed(department=department, filters=filters, language=language)
    if match.view_name == "producers:commune":
        town = Commune.objects.select_related("department").filter(insee_code=match.kwargs["insee_code"]).first()
        if town is None:
            return None
        return Embed(town=towns.Place(town), distance=town_page_distance(query), filters=filters, language=language)
    return None


def _dimension(request, name, default):
    """`default`, or the consumer's maximum when smaller: oEmbed forbids going past it, and a small frame on a
    phone-width column still shows the list (the map shrinks with it)."""
    try:
        limit = int(request.GET[name])
    except (KeyError, ValueError):
        return default
    return min(default, limit) if limit > 0 else default


@require_safe
@public_page
def oembed(request):
    """oEmbed (https://oembed.com) for department and town pages: a CMS given such a URL embeds the map."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse(status=501)
    embed = _embed_for_url(request.GET.get("url", ""))
    if embed is None:
        raise Http404
    width = _dimension(request, "maxwidth", OEMBED_WIDTH)
    height = _dimension(request, "maxheight", DEFAULT_HEIGHT)
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
