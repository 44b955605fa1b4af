"""Markets, pick-up points and fairs: their dates, their recurrence rules, their iCalendar feeds and their pages.

- dates: when a market is held (the hours engine's dates, less temporary closures), the week ahead, the weekend;
- rules: recurrence rules fitted to those dates (iCalendar's RRULE, schema.org's Schedule);
- ical: the RFC 5545 feeds;
- views: the department's markets, its week ahead, and the feeds.

A market is a listing of one of MARKET_KINDS, with its address, hours, photos and moderation like any other.
"""

from producers.models import Listing

from .dates import LOOK_AHEAD_DAYS, Occurrence, next_occurrences, occurrences, week_ahead, weekend
from .rules import Rule, fit_rules

MARKET_KINDS = (Listing.Kind.MARKET,)


def markets(queryset):
    """The listings of `queryset` that are selling places shoppers go to on given days."""
    return queryset.filter(kind__in=MARKET_KINDS)


def is_market(listing):
    return listing.kind in MARKET_KINDS


__all__ = [
    "LOOK_AHEAD_DAYS",
    "MARKET_KINDS",
    "Occurrence",
    "Rule",
    "fit_rules",
    "is_market",
    "markets",
    "next_occurrences",
    "occurrences",
    "week_ahead",
    "weekend",
]
