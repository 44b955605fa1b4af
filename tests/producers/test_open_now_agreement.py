"""The SQL "open now" filter against opening-hours-py (what the cards, the map popups and the page show).

Hours strings are generated in every form the hours field accepts (month ranges, week numbers, nth weekdays,
public holidays, ranges past midnight, comments, appointments, fallbacks); for windows starting anywhere in the
year, the filter must pick exactly the listings whose card says "open" at many instants, to the second.
"""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from producers import hours
from producers.models import Listing, OpeningSlot
from producers.models.listing import slot_window
from tests.factories import CommuneFactory

PARIS = hours.PARIS
LISTINGS_PER_EXAMPLE = 30
INSTANTS_PER_EXAMPLE = 40

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]


def hhmm(minute):
    return f"{minute // 60:02d}:{minute % 60:02d}"


@st.composite
def time_range(draw):
    opens = draw(st.integers(0, 23 * 60 + 59).map(lambda m: m - m % draw(st.sampled_from([1, 15, 30]))))
    length = draw(st.integers(1, 14 * 60))
    closes = opens + length
    if closes >= 24 * 60 and draw(st.booleans()):
        return f"{hhmm(opens)}-{hhmm(closes - 24 * 60)}"  # past midnight, written the usual way
    return f"{hhmm(opens)}-{hhmm(min(closes, 24 * 60))}"


@st.composite
def weekdays(draw):
    first = draw(st.integers(0, 6))
    return draw(
        st.sampled_from(
            [
                DAYS[first],
                f"{DAYS[first]}-{DAYS[draw(st.integers(first, 6))]}",
                ",".join(sorted(set(draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3))), key=DAYS.index)),
                f"{DAYS[first]}[{draw(st.sampled_from(['1', '2', '-1', '1,3']))}]",
                "PH",
                f"{DAYS[first]},PH",
            ]
        )
    )


@st.composite
def months(draw):
    first = draw(st.integers(0, 11))
    last = draw(st.integers(0, 11))
    return draw(
        st.sampled_from(
            [
                MONTHS[first],
                f"{MONTHS[first]}-{MONTHS[last]}",
                f"{MONTHS[first]} {draw(st.integers(1, 28)):02d}-{MONTHS[last]} {draw(st.integers(1, 28)):02d}",
            ]
        )
    )


@st.composite
def week_numbers(draw):
    first = draw(st.integers(1, 52))
    return draw(
        st.sampled_from([f"week {first:02d}-{draw(st.integers(first, 53)):02d}", "week 01-53/2", "week 02-52/2"])
    )


@st.composite
def rule(draw):
    selector = []
    if draw(st.integers(0, 3)) == 0:
        selector.append(draw(months()))
    if draw(st.integers(0, 5)) == 0:
        selector.append(draw(week_numbers()))
    if draw(st.integers(0, 5)):
        selector.append(draw(weekdays()))
    times = ",".join(draw(st.lists(time_range(), min_size=1, max_size=3)))
    state = draw(
        st.sampled_from(
            [
                times,
                times,
                times,
                "off",
                f'{times} "sur rendez-vous"',
                f'{times} "vente à la ferme"',
                '"sur rendez-vous"',
                'unknown "à confirmer"',
            ]
        )
    )
    return " ".join([*selector, state])


@st.composite
def expression(draw):
    rules = draw(st.lists(rule(), min_size=1, max_size=4))
    text = rules[0]
    for next_rule in rules[1:]:
        text += draw(st.sampled_from(["; ", "; ", ", ", " || "])) + next_rule
    if draw(st.integers(0, 3)) == 0:
        text += "; PH off"
    return text


def valid_expression():
    return expression().filter(lambda text: hours.parse(text) is not None)


@pytest.fixture
def commune(db):
    return CommuneFactory()


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # the same strings on every run: CI fails for a reason, never by chance
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    expressions=st.lists(valid_expression(), min_size=LISTINGS_PER_EXAMPLE, max_size=LISTINGS_PER_EXAMPLE),
    first_day=st.dates(datetime.date(2026, 1, 1), datetime.date(2027, 1, 1)),
    seconds=st.lists(st.integers(0, 56 * 86400 - 1), min_size=INSTANTS_PER_EXAMPLE, max_size=INSTANTS_PER_EXAMPLE),
)
def test_the_filter_says_open_exactly_when_the_card_does(commune, monkeypatch, expressions, first_day, seconds):
    today = datetime.datetime.combine(first_day, datetime.time(3), tzinfo=PARIS)
    monkeypatch.setattr(timezone, "now", lambda: today)
    Listing.objects.all().delete()
    listings = Listing.objects.bulk_create(
        Listing(name=f"Ferme {i}", slug=f"ferme-{i}", commune=commune, department=commune.department, opening_hours=e)
        for i, e in enumerate(expressions)
    )
    OpeningSlot.objects.refresh(listings)
    first_day, days = slot_window()
    start = datetime.datetime.combine(first_day, datetime.time(), tzinfo=PARIS)
    instants = [start + datetime.timedelta(seconds=s) for s in seconds]
    # The edges too: the first and the last second of some ranges, where an off-by-one would show.
    for slot in OpeningSlot.objects.order_by("?")[:10]:
        opens = datetime.datetime.combine(slot.first_day, datetime.time(), tzinfo=PARIS)
        instants += [opens + datetime.timedelta(minutes=slot.opens), opens + datetime.timedelta(minutes=slot.closes)]
        instants.append(instants[-1] - datetime.timedelta(seconds=1))
    seen_open = 0
    end = start + datetime.timedelta(days=days)  # a range closing at midnight on the last day ends past the window
    for instant in (instant for instant in instants if instant < end):
        instant = timezone.localtime(instant.astimezone(datetime.UTC), PARIS)  # a real instant, DST nights included
        in_filter = set(Listing.objects.open_at(instant).values_list("pk", flat=True))
        on_cards = {listing.pk for listing in listings if hours.status(listing.opening_hours, instant).is_open is True}
        assert in_filter == on_cards, [
            (listing.opening_hours, instant.isoformat()) for listing in listings if listing.pk in in_filter ^ on_cards
        ]
        seen_open += len(on_cards)
    assert seen_open  # the comparison saw open listings, not only empty sets


@pytest.mark.django_db
@pytest.mark.parametrize(
    "utc",
    [
        # Clocks go back on 25 October 2026 (03:00 CEST → 02:00 CET): 02:15 happens twice, 02:45 too.
        "2026-10-25T00:15",
        "2026-10-25T00:45",
        "2026-10-25T01:15",
        "2026-10-25T01:45",
        "2026-10-25T02:15",
        # Clocks go forward on 29 March 2026 (02:00 CET → 03:00 CEST).
        "2026-03-29T00:45",
        "2026-03-29T01:15",
        "2026-03-29T01:45",
    ],
)
def test_the_nights_clocks_change_agree_too(commune, monkeypatch, utc):
    instant = datetime.datetime.fromisoformat(utc).replace(tzinfo=datetime.UTC)
    today = instant - datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: today)
    expressions = ["Mo-Su 22:00-02:30", "Mo-Su 02:30-04:00", "Mo-Su 00:00-03:00", "Mo-Su 03:00-05:00", "24/7"]
    listings = Listing.objects.bulk_create(
        Listing(name=e, slug=f"f-{i}", commune=commune, department=commune.department, opening_hours=e)
        for i, e in enumerate(expressions)
    )
    OpeningSlot.objects.refresh(listings)
    in_filter = set(Listing.objects.open_at(instant).values_list("opening_hours", flat=True))
    on_cards = {e for e in expressions if hours.status(e, instant).is_open is True}
    assert in_filter == on_cards
    assert "24/7" in in_filter
