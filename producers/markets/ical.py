"""iCalendar (RFC 5545) feeds of markets, written with the icalendar library.

Each market gives one VEVENT per recurrence rule fitted to its dates (producers.markets.rules): RRULE with UNTIL
and EXDATE, or single dates when no rule fits. Times are Europe/Paris wall-clock times with the VTIMEZONE the
library derives from the zone's transitions. UIDs are built from the listing's id and the rule's shape (never from
the first date, which moves on every day), so a calendar that refreshes the feed updates its events instead of
adding them again.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vRecur

from .. import hours
from ..seo import absolute_url
from .dates import _at
from .rules import fit_rules


def _domain():
    return urlsplit(settings.SITE_URL).hostname or "localdir"


def _uid(listing, rule):
    if rule.freq is None:
        shape = f"{rule.first_day:%Y%m%d}" if len(rule.dates) == 1 else f"dates-{rule.first_day:%Y%m%d}"
    else:
        shape = f"{rule.freq.lower()}-{'-'.join(rule.ical_byday) or 'all'}"
    return f"listing-{listing.pk}-{rule.opens:04d}-{rule.closes:04d}-{shape}@{_domain()}"


def _location(listing):
    parts = [listing.street_address, f"{listing.postal_code} {listing.commune.name}".strip()]
    return ", ".join(part for part in parts if part)


def _event(listing, rule, uid, start_day, stamp):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", listing.name)
    event.add("dtstart", _at(start_day, rule.opens))
    event.add("dtend", _at(start_day, rule.closes))
    event.add("location", _location(listing))
    event.add("url", absolute_url(listing.get_absolute_url()))
    if listing.latitude is not None and listing.longitude is not None:
        event.add("geo", (listing.latitude, listing.longitude))
    if listing.short_description:
        event.add("description", listing.short_description)
    return event


def events(listing, occurrences):
    """The VEVENTs of one listing's `occurrences` (producers.markets.dates)."""
    changed = listing.confirmed_at or listing.updated_at or timezone.now()
    stamp = changed.astimezone(datetime.UTC)
    found = []
    for rule in fit_rules(occurrences):
        if rule.freq is None:
            for day in rule.dates:
                single = rule.__class__(rule.opens, rule.closes, day, day, dates=(day,))
                found.append(_event(listing, rule, _uid(listing, single), day, stamp))
            continue
        event = _event(listing, rule, _uid(listing, rule), rule.first_day, stamp)
        recur = {"freq": rule.freq, "until": _at(rule.last_day, rule.opens).astimezone(datetime.UTC)}
        if rule.byday:
            recur["byday"] = rule.ical_byday
        event.add("rrule", vRecur(recur))
        for day in rule.exceptions:
            event.add("exdate", _at(day, rule.opens))
        found.append(event)
    return found


def calendar(name, description, listings_with_occurrences, url):
    """A VCALENDAR named `name` holding the events of each (listing, occurrences) pair, with its VTIMEZONE."""
    cal = Calendar()
    cal.add("prodid", f"-//{_domain()}//localdir markets//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # RFC 7986's names, and the older X- ones most calendar applications still read.
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("description", description)
    cal.add("x-wr-caldesc", description)
    cal.add("x-wr-timezone", "Europe/Paris")
    cal.add("url", absolute_url(url))
    cal.add("refresh-interval", datetime.timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    for listing, occurrences in listings_with_occurrences:
        for event in events(listing, occurrences):
            cal.add_component(event)
    cal.add_missing_timezones()
    if not cal.timezones:
        # A calendar holds at least one component (RFC 5545, 3.6): a market without dates still has its zone.
        cal.add_component(Timezone.from_tzinfo(hours.PARIS))
    return cal.to_ical()
