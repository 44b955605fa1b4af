"""The markets' public pages and feeds: a department's markets, its week ahead, and the iCalendar feeds.

Only published listings are shown, as everywhere. Each page runs the same queries whatever the number of markets:
the markets (one page of them, or all those of the week ahead's list) and their temporary closures; their dates
come from the hours engine in memory (producers.markets.dates).
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from localdir.cache import public_page

from .. import hours
from ..filters import MarketFilter
from ..models import Listing
from ..models.closures import paris_today
from ..views import _clean_url, _get_department, _town_choice
from . import dates, ical, markets

# The department's feed: its markets of the coming month ("les marchés de Maine-et-Loire ce mois-ci").
DEPARTMENT_FEED_DAYS = 31
# The week ahead lists every market held in the department; past this many, only the nearest (by name otherwise).
WEEK_AHEAD_LIMIT = 500
MARKET_FIELDS = [
    "name",
    "slug",
    "kind",
    "market_type",
    "short_description",
    "street_address",
    "postal_code",
    "opening_hours",
    "latitude",
    "longitude",
    "updated_at",
    "confirmed_at",
    "commune__name",
]


def _department_or_redirect(request, code, slug, name):
    department, wrong_slug = _get_department(code, slug)
    if wrong_slug:
        url = reverse(name, kwargs={"code": department.code, "slug": department.slug})
        return department, redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url, permanent=True)
    return department, None


def _department_markets(department):
    return (
        markets(Listing.objects.published().in_department(department))
        .select_related("commune")
        .only(*MARKET_FIELDS)
        .with_current_closures()
    )


def _filtered(request, department):
    filterset = MarketFilter(request.GET, queryset=_department_markets(department), department=department)
    return filterset, filterset.qs


def _common_context(department, filterset):
    kwargs = {"code": department.code, "slug": department.slug}
    return {
        "department": department,
        "filter": filterset,
        "markets_url": reverse("producers:department_markets", kwargs=kwargs),
        "week_url": reverse("producers:department_market_week", kwargs=kwargs),
        "calendar_url": reverse("producers:department_markets_calendar", kwargs=kwargs),
    }


def _markets_of(request, code, slug, view_name):
    """What both market pages start with: (a redirect or the town choice to answer instead, or None;
    (department, filterset, its markets)) for the department's page named `view_name`."""
    department, moved = _department_or_redirect(request, code, slug, view_name)
    if moved:
        return moved, (None, None, None)
    if clean_url := _clean_url(request):
        return redirect(clean_url), (None, None, None)
    filterset, queryset = _filtered(request, department)
    if filterset.town_choices:
        return _town_choice(request, request.GET.get("commune", ""), filterset.town_choices), (None, None, None)
    return None, (department, filterset, queryset)


@require_safe
@public_page
def department_markets(request, code, slug):
    """The department's markets, pick-up points and fairs, each with its days and its next dates."""
    answer, (department, filterset, queryset) = _markets_of(request, code, slug, "producers:department_markets")
    if answer:
        return answer
    page = Paginator(queryset, settings.LISTINGS_PER_PAGE).get_page(request.GET.get("page"))
    moment = timezone.now()
    for market in page.object_list:
        market.next_dates = dates.next_occurrences(market, count=3, moment=moment)
        market.hours_lines = hours.describe_lines(market.opening_hours, open_days_only=True)
    query = request.GET.copy()
    query.pop("page", None)
    context = _common_context(department, filterset)
    context.update(page_obj=page, markets=page.object_list, query_string=query.urlencode())
    return render(request, "producers/markets/department.html", context)


@require_safe
@public_page
def department_market_week(request, code, slug):
    """What's on in the next 7 days: the department's markets and fairs, day by day (near a town if asked)."""
    answer, (department, filterset, queryset) = _markets_of(request, code, slug, "producers:department_market_week")
    if answer:
        return answer
    listed = list(queryset[:WEEK_AHEAD_LIMIT])
    today = paris_today()
    week = dates.week_ahead(listed, days=7, today=today)
    context = _common_context(department, filterset)
    context.update(
        week=week,
        held=sum(len(held) for _, held in week),
        weekend=dates.weekend(today),
        today=today,
    )
    return render(request, "producers/markets/week.html", context)


def _ics_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
@public_page
def department_markets_calendar(request, code, slug):
    """The department's markets of the coming month, as an iCalendar feed."""
    department, wrong_slug = _get_department(code, slug)
    if wrong_slug:
        raise Http404
    today = paris_today()
    listed = list(_department_markets(department).order_by("name", "pk"))
    pairs = [
        (market, dates.occurrences(market.opening_hours, today, DEPARTMENT_FEED_DAYS, market.current_closures))
        for market in listed
    ]
    name = gettext("Markets in %(department)s") % {"department": department.name}
    description = gettext("Markets, pick-up points and fairs in %(department)s (%(code)s) in the coming month.") % {
        "department": department.name,
        "code": department.code,
    }
    url = reverse("producers:department_markets", kwargs={"code": department.code, "slug": department.slug})
    body = ical.calendar(name, description, pairs, url)
    return _ics_response(body, f"marches-{department.code}.ics")


@require_safe
@public_page
def market_calendar(request, slug):
    """One market's dates of the coming year, as an iCalendar feed (recurrence rules where its hours allow)."""
    market = get_object_or_404(
        markets(Listing.objects.published()).select_related("commune").with_current_closures(), slug=slug
    )
    today = paris_today()
    found = dates.occurrences(market.opening_hours, today, dates.LOOK_AHEAD_DAYS, market.current_closures)
    description = market.short_description or gettext("Dates of %(name)s.") % {"name": market.name}
    body = ical.calendar(market.name, description, [(market, found)], market.get_absolute_url())
    return _ics_response(body, f"{market.slug}.ics")
