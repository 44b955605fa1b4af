"""The iCalendar feeds (RFC 5545): parsed with the icalendar library, their events expanded with their RRULE and
EXDATE, and compared with the dates and times the hours engine gives."""

import datetime

import pytest
from dateutil.rrule import rrulestr
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from producers import hours
from producers.models import Listing
from tests.factories import CommuneFactory, ListingFactory

pytestmark = pytest.mark.django_db

MONDAY_9H = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=hours.PARIS)


@pytest.fixture(autouse=True)
def monday(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: MONDAY_9H)
    cache.clear()


def expand(calendar):
    """{(start, end)} of every occurrence the feed's events give (aware datetimes)."""
    found = set()
    for event in calendar.walk("VEVENT"):
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert start.tzinfo is not None and end.tzinfo is not None
        length = end - start
        if "RRULE" not in event:
            found.add((start, end))
            continue
        rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
        exdates = {exdate.dt for group in event.get("EXDATE", []) for exdate in _list(group).dts}
        assert exdates <= set(rule), "an EXDATE the rule never gives"
        found.update((moment, moment + length) for moment in rule if moment not in exdates)
    return found


def _list(value):
    return value if hasattr(value, "dts") else value[0]


def engine_occurrences(expression, first_day, days, closed=()):
    """{(start, end)} of the open ranges the hours engine gives, day by day, in Paris."""
    oh = hours.parse(expression)
    found = set()
    for offset in range(days):
        day = first_day + datetime.timedelta(days=offset)
        if day in closed:
            continue
        for segment in hours.day_segments(oh, day):
            if segment.kind == hours.OPEN:
                midnight = datetime.datetime.combine(day, datetime.time(), hours.PARIS)
                found.add(
                    (
                        midnight.replace(hour=segment.opens // 60, minute=segment.opens % 60),
                        midnight + datetime.timedelta(minutes=segment.closes)
                        if segment.closes == hours.DAY_MINUTES
                        else midnight.replace(hour=segment.closes // 60, minute=segment.closes % 60),
                    )
                )
    return found


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in body.split(b"\r\n")), "lines are folded at 75 octets"
    return Calendar.from_ical(body)


def market(**fields):
    return ListingFactory(kind=Listing.Kind.MARKET, name=fields.pop("name", "Marché de la Doutre"), **fields)


@pytest.mark.parametrize(
    "expression, rrules",
    [
        ("Sa 08:00-13:00", ["FREQ=WEEKLY;UNTIL=20271127T070000Z;BYDAY=SA"]),
        ("Sa[1,3] 08:00-13:00", ["FREQ=MONTHLY;UNTIL=20271120T070000Z;BYDAY=1SA,3SA"]),
        ("Apr-Oct We 16:00-19:30", ["FREQ=WEEKLY;UNTIL=20271027T140000Z;BYDAY=WE"]),
        ("Tu,Fr 07:30-13:00; PH off", ["FREQ=WEEKLY;UNTIL=20271130T063000Z;BYDAY=TU,FR"]),
        ("2026 Dec 12-14 10:00-19:00", ["FREQ=DAILY;UNTIL=20261214T090000Z"]),
        ("week 1-53/2 Th 17:00-19:00; 2027 Jun 5 09:00-12:00", None),
    ],
)
def test_a_market_feed_gives_the_hours_dates(client, towns, expression, rrules):
    listing = market(opening_hours=expression)
    cal = feed(client, reverse("producers:market_calendar", kwargs={"slug": listing.slug}))
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    events = cal.walk("VEVENT")
    assert events and all(str(event["SUMMARY"]) == "Marché de la Doutre" for event in events)
    assert all(event["DTSTART"].params["TZID"] == "Europe/Paris" for event in events)
    if rrules is not None:
        assert sorted(event["RRULE"].to_ical().decode() for event in events if "RRULE" in event) == rrules
    assert expand(cal) == engine_occurrences(expression, MONDAY_9H.date(), 366)


def test_closures_are_left_out_and_uids_are_stable(client, towns):
    listing = market(opening_hours="Sa 08:00-13:00")
    url = reverse("producers:market_calendar", kwargs={"slug": listing.slug})
    before = {str(event["UID"]) for event in feed(client, url).walk("VEVENT")}
    listing.closures.create(starts_on=datetime.date(2026, 12, 19), ends_on=datetime.date(2027, 1, 3))
    cache.clear()
    cal = feed(client, url)
    assert {str(event["UID"]) for event in cal.walk("VEVENT")} == before
    closed = {datetime.date(2026, 12, 19), datetime.date(2026, 12, 26), datetime.date(2027, 1, 2)}
    assert expand(cal) == engine_occurrences("Sa 08:00-13:00", MONDAY_9H.date(), 366, closed)
    (event,) = cal.walk("VEVENT")
    assert len(event["EXDATE"].dts if hasattr(event["EXDATE"], "dts") else event["EXDATE"]) >= 1


def test_the_department_feed_holds_its_markets_of_the_month(client, towns, maine_et_loire):
    doutre = market(opening_hours="Sa 08:00-13:00", commune=towns["angers"])
    cholet = market(name="Marché de Cholet", opening_hours="We 08:00-12:30", commune=towns["cholet"])
    market(name="Marché de Bordeaux", opening_hours="Su 08:00-13:00", commune=towns["bordeaux"])
    market(name="Marché en attente", opening_hours="Su 08:00-13:00", status=Listing.Status.PENDING)
    ListingFactory(name="Ferme du Lac", opening_hours="Sa 08:00-13:00")
    url = reverse("producers:department_markets_calendar", kwargs={"code": "49", "slug": "maine-et-loire"})
    cal = feed(client, url)
    assert str(cal["X-WR-CALNAME"]) == "Marchés en Maine-et-Loire"
    assert {str(event["SUMMARY"]) for event in cal.walk("VEVENT")} == {doutre.name, cholet.name}
    expected = engine_occurrences("Sa 08:00-13:00", MONDAY_9H.date(), 31) | engine_occurrences(
        "We 08:00-12:30", MONDAY_9H.date(), 31
    )
    assert expand(cal) == expected
    uids = [str(event["UID"]) for event in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids))


def test_a_market_without_dates_is_still_a_valid_calendar(client, towns):
    listing = market(opening_hours="")
    cal = feed(client, reverse("producers:market_calendar", kwargs={"slug": listing.slug}))
    assert cal.walk("VEVENT") == [] and cal.walk("VTIMEZONE")


def test_only_published_markets_have_a_feed(client, towns):
    farm = ListingFactory()
    pending = market(status=Listing.Status.PENDING)
    for listing in (farm, pending):
        assert client.get(reverse("producers:market_calendar", kwargs={"slug": listing.slug})).status_code == 404


def test_feed_names_in_english(client, towns, maine_et_loire):
    response = client.get("/en/departements/49-maine-et-loire/marches.ics")
    assert "X-WR-CALNAME:Markets in Maine-et-Loire" in response.content.decode()


def test_a_market_of_another_department_is_not_in_its_feed(client, towns):
    elsewhere = CommuneFactory(
        insee_code="33281", name="Mérignac", postal_codes="33700", department=towns["bordeaux"].department
    )
    market(commune=elsewhere, opening_hours="Sa 08:00-13:00")
    cal = feed(
        client, reverse("producers:department_markets_calendar", kwargs={"code": "49", "slug": "maine-et-loire"})
    )
    assert cal.walk("VEVENT") == []


def test_feeds_are_cached_like_public_pages_and_answer_304(towns, maine_et_loire, settings):
    """A calendar application fetches the feed every day: the same feed renders the same bytes (DTSTAMP is the
    listing's last check, not the moment), so an unchanged feed is a 304."""
    settings.PAGE_CACHE_SECONDS = 60
    listing = market(opening_hours="Sa 08:00-13:00")
    for url in (
        reverse("producers:market_calendar", kwargs={"slug": listing.slug}),
        reverse("producers:department_markets_calendar", kwargs={"code": "49", "slug": "maine-et-loire"}),
    ):
        cache.clear()
        first = Client().get(url)
        cache.clear()
        again = Client().get(url)
        assert first.content == again.content and b"BEGIN:VEVENT" in first.content
        assert {d.strip() for d in first["Cache-Control"].split(",")} == {"public", "max-age=60"}
        assert Client().get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
