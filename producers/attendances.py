"""The "attends" links as data: what a producer's or a market's private link proposes, and applying it.

Pending links are not rows: they travel in a moderation revision's data, as [[market id, schedule], …] from a
producer ("markets") or [[producer id, schedule], …] from a market's organiser ("stands"), and become Attendance rows
when a volunteer approves them. The "Sur les marchés" delivery mode follows the rows (sync_delivery_modes).
"""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from localdir.cache import invalidate_public_pages

from . import hours
from .models import Attendance, DeliveryMode, Listing, ListingDelivery

MARKETS_MODE = "markets"
# A producer's days at a market, as the forms offer them: every market day, some weeks of the month, in season.
SEASON = "Apr-Oct"
EVERY, OTHER, IN_SEASON = "", "other", "season"
WHEN_CHOICES = [
    (EVERY, _("Every market day")),
    ("1,3", _("1st and 3rd weeks of the month")),
    ("2,4", _("2nd and 4th weeks of the month")),
    ("-1", _("Last week of the month")),
    (IN_SEASON, _("In season only (April to October)")),
    (OTHER, _("Other days (write them below)")),
]
_NTH_ONLY = re.compile(r"^(?:(?:Mo|Tu|We|Th|Fr|Sa|Su)\[([-\d,]+)\],?)+$")


def when_of(schedule):
    """(choice, other days) that show a stored schedule again."""
    schedule = (schedule or "").strip()
    if not schedule:
        return EVERY, ""
    if schedule == SEASON:
        return IN_SEASON, ""
    match = _NTH_ONLY.match(schedule)
    if match:
        weeks = set(re.findall(r"\[([-\d,]+)\]", schedule))
        if len(weeks) == 1 and weeks.pop() in dict(WHEN_CHOICES):
            return match[1], ""
    return OTHER, schedule


def market_weekdays(expression):
    """The weekdays a market's hours open on in an ordinary week (behind any season, weeks or dates)."""
    found = hours.calendar.split(expression or "")
    if found and found[0]["dates"]:
        return []  # a fair: its days are dates, not weekdays
    weekly = found[1] if found else expression
    schedule = hours.reference_schedule(weekly)
    return [day for day in range(7) if schedule and schedule.days[day]]


def label(listing):
    """How a row names a listing: "Marché de Chalonnes (Chalonnes-sur-Loire)"."""
    return f"{listing.name} ({listing.commune.name})"


def serialize_markets(producer):
    """A producer's links to published markets (what its form shows), as [[market id, schedule], …] by market id."""
    links = producer.attendances.filter(market__status=Listing.Status.PUBLISHED).order_by("market_id")
    return [list(pair) for pair in links.values_list("market_id", "schedule")]


def serialize_stands(market):
    """A market's links to published producers (what its form shows), as [[producer id, schedule], …] by id."""
    links = market.stands.filter(producer__status=Listing.Status.PUBLISHED).order_by("producer_id")
    return [list(pair) for pair in links.values_list("producer_id", "schedule")]


def apply_links(listing, pairs, side):
    """Replace the links of `listing` on `side` ("markets": the markets a producer attends, "stands": a market's
    producers) by `pairs` ([[other listing id, schedule], …]), inside the caller's transaction, and keep the
    producers' "on the markets" delivery mode in step. Ids of listings deleted since are ignored."""
    wanted = {int(other): (schedule or "").strip() for other, schedule in pairs}
    if side == "markets":
        mine, other = "producer", "market"
        valid = set(Listing.objects.filter(pk__in=wanted, kind=Listing.Kind.MARKET).values_list("pk", flat=True))
    elif side == "stands":
        mine, other = "market", "producer"
        valid = set(
            Listing.objects.filter(pk__in=wanted).exclude(kind=Listing.Kind.MARKET).values_list("pk", flat=True)
        )
    else:
        raise ValueError(side)
    wanted = {pk: schedule for pk, schedule in wanted.items() if pk in valid and pk != listing.pk}
    with transaction.atomic():
        links = Attendance.objects.filter(**{mine: listing}).select_related(other)
        existing = {getattr(link, f"{other}_id"): link for link in links}
        # The forms show (and send back) the links to published listings only: a link to a sign-up still under
        # review was never shown, so leaving it out of the rows does not remove it.
        removed = [
            link
            for pk, link in existing.items()
            if pk not in wanted and getattr(link, other).status == Listing.Status.PUBLISHED
        ]
        Attendance.objects.filter(pk__in=[link.pk for link in removed]).delete()
        rescheduled = [pk for pk, link in existing.items() if pk in wanted and link.schedule != wanted[pk]]
        for pk, schedule in wanted.items():
            link = existing.get(pk)
            if link is not None and link.schedule != schedule:
                link.schedule = schedule
                link.save(update_fields=["schedule"])
        # Another approval may have written the same pair meanwhile: the unique key keeps one, then its days are set.
        new = [pk for pk in wanted if pk not in existing]
        Attendance.objects.bulk_create(
            [Attendance(**{mine: listing, f"{other}_id": pk, "schedule": wanted[pk]}) for pk in new],
            ignore_conflicts=True,
        )
        for pk in new:
            Attendance.objects.filter(**{mine: listing, f"{other}_id": pk}).exclude(schedule=wanted[pk]).update(
                schedule=wanted[pk]
            )
        if side == "markets":
            producers, lost = [listing.pk], [listing.pk] if removed else []
        else:
            lost = [link.producer_id for link in removed]
            producers = [*wanted, *lost]
        sync_delivery_modes(producers, lost=lost)
        changed = removed or new or rescheduled
        if changed and listing.status == Listing.Status.PUBLISHED:
            # Both listings' pages show the link; a listing nobody sees yet changes no public page.
            invalidate_public_pages()


def sync_delivery_modes(producer_ids, lost=()):
    """The "Sur les marchés" mode of these producers, from their links: added to a producer with at least one link
    to a published market. Removed from those of `lost` (producers who just lost a link, or whose market was
    withdrawn) left without one, unless its details name markets the directory does not list yet (free text the
    producer wrote, which volunteers turn into links: moderation's market suggestions). A producer who ticked the
    mode without naming a market keeps it: they may sell at markets the directory does not know."""
    producer_ids = set(producer_ids) | set(lost)
    if not producer_ids:
        return
    mode = DeliveryMode.objects.filter(code=MARKETS_MODE).first()
    if mode is None:
        return
    # Only links the public may see count: a market awaiting review gives its stands nothing yet.
    linked = set(
        Attendance.objects.filter(producer_id__in=producer_ids, market__status=Listing.Status.PUBLISHED)
        .values_list("producer_id", flat=True)
        .distinct()
    )
    have = dict(
        ListingDelivery.objects.filter(listing_id__in=producer_ids, mode=mode).values_list("listing_id", "details")
    )
    ListingDelivery.objects.bulk_create(
        [ListingDelivery(listing_id=pk, mode=mode) for pk in linked if pk not in have], ignore_conflicts=True
    )
    lost = set(lost)
    unlinked = [pk for pk, details in have.items() if pk in lost and pk not in linked and not details.strip()]
    ListingDelivery.objects.filter(listing_id__in=unlinked, mode=mode).delete()


def describe_schedule(schedule):
    """When a producer is at a market, in words: "every market day", "1st and 3rd weeks of the month", "in season
    only (April to October)", "wednesday", or the hours in words."""
    when, other = when_of(schedule)
    if when != OTHER:
        return str(dict(WHEN_CHOICES)[when]).lower() if when else gettext("every market day")
    found = hours.calendar.split(other)
    calendar, weekly = found if found else (hours.calendar.empty(), other)
    parts = []
    if weekly.strip():
        reference = hours.reference_schedule(weekly)
        days = [day for day in range(7) if reference and reference.days[day]]
        whole_days = all(
            (segment.opens, segment.closes) == (0, hours.DAY_MINUTES) for day in days for segment in reference.days[day]
        )
        if not days or not whole_days:
            closed = hours.hours_label(())
            rows = [row for row in hours.describe(other) if row.hours != closed]
            return (
                "; ".join(pgettext("opening hours row", "%(days)s: %(hours)s") % row._asdict() for row in rows) or other
            )
        if len(days) < 7:
            parts.append(hours.days_label(days))
    if calendar["weeks"]:
        parts.append(
            ngettext("%(weeks)s week of the month", "%(weeks)s weeks of the month", len(calendar["weeks"]))
            % {"weeks": hours.calendar.weeks_label(calendar["weeks"])}
        )
    if calendar["season"]:
        parts.append(hours.calendar.season_label(calendar["season"]))
    if calendar["dates"]:
        parts.append(hours.calendar.dates_label(calendar["dates"]))
    return ", ".join(parts) or other


def _part_of_day(segments):
    """ "morning", "afternoon", "evening" or "" for the ranges of a market day."""
    if not segments:
        return ""
    opens, closes = min(s.opens for s in segments), max(s.closes for s in segments)
    if closes <= 14 * 60:
        return "morning"
    if opens >= 17 * 60:
        return "evening"
    if opens >= 12 * 60:
        return "afternoon"
    return ""


def visit_words(link):
    """When a producer is at a market, as the listing page says it: "saturday morning", "wednesday and saturday",
    "12 to 14 December 2026" for a fair; "" when the market's hours say nothing usable."""
    market_found = hours.calendar.split(link.market.opening_hours or "")
    if market_found and market_found[0]["dates"]:
        return hours.calendar.dates_label(market_found[0]["dates"])
    schedule = hours.reference_schedule(market_found[1] if market_found else link.market.opening_hours)
    if schedule is None:
        return ""
    days = [day for day in range(7) if schedule.days[day]]
    own_found = hours.calendar.split(link.schedule or "")
    own = hours.reference_schedule(own_found[1] if own_found else link.schedule) if link.schedule else None
    if own is not None and any(own.days):
        days = [day for day in days if own.days[day]] or days
    if not days or len(days) == 7:
        return ""
    label = hours.days_label(days)
    parts = {_part_of_day(schedule.days[day]) for day in days}
    part = parts.pop() if len(parts) == 1 else ""
    if part == "morning":
        return pgettext("market days", "%(days)s morning") % {"days": label}
    if part == "afternoon":
        return pgettext("market days", "%(days)s afternoon") % {"days": label}
    if part == "evening":
        return pgettext("market days", "%(days)s evening") % {"days": label}
    return label


class Visit:
    """A producer's stand at a market as the listing page shows it."""

    def __init__(self, link, moment=None):
        self.link = link
        self.market = link.market
        self.words = visit_words(link)
        # Said only when the producer is not there every market day.
        self.schedule = describe_schedule(link.schedule) if link.schedule else ""
        self.next = link.next_visit(moment)
        if self.next:
            opens, closes = (timezone.localtime(instant, hours.PARIS) for instant in self.next)
            self.next_day = date_format(opens, "l j F")
            end = closes.hour * 60 + closes.minute or hours.DAY_MINUTES
            self.next_hours = hours.format_range(opens.hour * 60 + opens.minute, end)


def producer_visits(producer, moment=None):
    """The published markets a published producer attends, with when and the next date (one query)."""
    return [Visit(link, moment) for link in Attendance.objects.markets_of(producer)]
