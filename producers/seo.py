"""What search engines and link previews read: absolute URLs and schema.org JSON-LD of a listing."""

import json

from django.conf import settings
from django.utils.safestring import mark_safe

from . import hours, markets
from .models import Listing
from .models.closures import paris_today

SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# schema.org has no farm nor artisan type; a shop is a Store, everything else a LocalBusiness.
SCHEMA_TYPES = {Listing.Kind.SHOP: "Store"}
# json_script's escapes: inside <script>, "</script>" or "<!--" in a value must not end or change the element.
# Applied with str.replace: str.translate() with a dictionary looks every character up in Python (~57 µs for a
# listing's 700 characters, more than encoding the JSON; three replace() calls take ~2 µs).
_SCRIPT_ESCAPES = ((">", "\\u003E"), ("<", "\\u003C"), ("&", "\\u0026"))


def absolute_url(path):
    """SITE_URL + path, unless path is already absolute (media on another host)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + path


def _time(minute):
    # schema.org has no 24:00: a range to midnight closes at 23:59, as Google's guidelines suggest.
    return "23:59" if minute >= hours.DAY_MINUTES else f"{minute // 60:02d}:{minute % 60:02d}"


def opening_hours_specification(expression):
    """OpeningHoursSpecification items of a plain weekly schedule (days sharing a range share an item).

    Seasonal expressions cannot be said this way and give nothing; ranges by appointment are left out.
    """
    schedule = hours.weekly_schedule(expression)
    if schedule is None:
        return []
    days_by_range = {}
    for weekday, segments in enumerate(schedule.days):
        for segment in segments:
            if segment.kind == hours.OPEN:
                days_by_range.setdefault((segment.opens, segment.closes), []).append(SCHEMA_DAYS[weekday])
    return [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": days, "opens": _time(opens), "closes": _time(closes)}
        for (opens, closes), days in sorted(
            days_by_range.items(), key=lambda item: (SCHEMA_DAYS.index(item[1][0]), item[0])
        )
    ]


def listing_json_ld(listing, photos=None, url=None):
    """The schema.org description of a published listing (its commune loaded) and its photos (the listing's own,
    read here, unless the page read them already); `url`: its absolute URL, if the page has it already."""
    if photos is None:
        photos = listing.photos.all()
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(listing.kind, "LocalBusiness"),
        "name": listing.name,
        "url": url or absolute_url(listing.get_absolute_url()),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": listing.street_address,
            "postalCode": listing.postal_code,
            "addressLocality": listing.commune.name,
            "addressCountry": "FR",
        },
    }
    description = listing.short_description or listing.description
    if description:
        data["description"] = description
    if listing.latitude is not None and listing.longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": listing.latitude, "longitude": listing.longitude}
    # Not `if listing.phone`: a PhoneNumber's truth is its text's length, which validates it against the numbering
    # plan (~10 µs) before formatting it. An empty field is "" (or None); a stored one always has a text.
    if listing.phone not in ("", None):
        data["telephone"] = listing.phone.as_e164
    if listing.email and listing.email_public:
        data["email"] = listing.email
    images = [absolute_url(photo.image.url) for photo in photos]
    if images:
        data["image"] = images
    same_as = [url for url in [listing.website, listing.facebook_url, listing.instagram_url] if url]
    same_as += listing.other_link_list
    if same_as:
        data["sameAs"] = same_as
    specification = opening_hours_specification(listing.opening_hours)
    if specification:
        data["openingHoursSpecification"] = specification
    if not listing.street_address:
        del data["address"]["streetAddress"]
    checked = listing.confirmed_at or listing.updated_at
    if checked:
        # When someone last said it is right: what a search engine should weigh, more than a silent save.
        data["dateModified"] = checked.isoformat()
    if markets.is_market(listing):
        return market_json_ld(listing, data)
    return data


# schema.org's Schedule: how often each kind of recurrence rule repeats (producers.markets.rules).
REPEAT_FREQUENCY = {"DAILY": "P1D", "WEEKLY": "P1W", "MONTHLY": "P1M"}


def _schedules(rule):
    """schema.org Schedule items saying one recurrence rule (a monthly rule on two weekdays takes one per weekday)."""
    base = {"@type": "Schedule", "startTime": _time(rule.opens), "endTime": _time(rule.closes % hours.DAY_MINUTES)}
    base["scheduleTimezone"] = "Europe/Paris"
    if rule.freq is None:
        return [{**base, "startDate": day.isoformat(), "endDate": day.isoformat()} for day in rule.dates]
    base.update(
        repeatFrequency=REPEAT_FREQUENCY[rule.freq],
        startDate=rule.first_day.isoformat(),
        endDate=rule.last_day.isoformat(),
    )
    if rule.exceptions:
        base["exceptDate"] = [day.isoformat() for day in rule.exceptions]
    if rule.freq == "WEEKLY":
        return [{**base, "byDay": [f"https://schema.org/{SCHEMA_DAYS[weekday]}" for _, weekday in rule.byday]}]
    if rule.freq == "MONTHLY":
        weeks = {}
        for nth, weekday in rule.byday:
            weeks.setdefault(weekday, []).append(nth)
        return [
            {**base, "byDay": f"https://schema.org/{SCHEMA_DAYS[weekday]}", "byMonthWeek": nths}
            for weekday, nths in weeks.items()
        ]
    return [base]


def market_json_ld(listing, data, today=None):
    """A market, pick-up point or fair as a schema.org Event held at its Place, its dates of the coming year as
    eventSchedule (the recurrence rules of its iCalendar feed); `data` is the listing's own description."""
    today = today or paris_today()
    found = markets.occurrences(
        listing.opening_hours, today, markets.LOOK_AHEAD_DAYS, getattr(listing, "current_closures", ())
    )
    place = {"@type": "Place", "name": listing.name}
    for key in ("address", "geo", "telephone", "sameAs"):
        if key in data:
            place[key] = data[key]
    event = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": listing.name,
        "url": data["url"],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": place,
        "isAccessibleForFree": True,
    }
    for key in ("description", "image", "dateModified"):
        if key in data:
            event[key] = data[key]
    if found:
        event["startDate"] = found[0].starts_at().isoformat()
        event["endDate"] = found[-1].ends_at().isoformat()
        event["eventSchedule"] = [item for rule in markets.fit_rules(found) for item in _schedules(rule)]
    return event


def json_ld_script(data):
    """<script type="application/ld+json"> holding `data`, escaped as django.utils.html.json_script does."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in _SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
