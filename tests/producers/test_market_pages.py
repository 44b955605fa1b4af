"""The markets' pages: a department's markets with their next dates, its next 7 days day by day, the market's own
page; what never shows, and the same number of queries whatever the number of markets."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from producers import hours
from producers.models import Listing
from producers.towns import resolve as resolve_town
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db

# A Monday: the week ahead runs from Monday 30 November to Sunday 6 December 2026.
MONDAY_9H = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=hours.PARIS)
MARKETS = "/departements/49-maine-et-loire/marches/"
WEEK = "/departements/49-maine-et-loire/marches/cette-semaine/"


@pytest.fixture(autouse=True)
def monday(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: MONDAY_9H)
    cache.clear()


def market(**fields):
    fields.setdefault("name", "Marché de la Doutre")
    return ListingFactory(kind=Listing.Kind.MARKET, **fields)


def text(response):
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def words(html):
    """What a reader sees: the markup left out."""
    return re.sub(r"<[^>]+>", "", html)


class TestDepartmentMarkets:
    def test_it_lists_the_department_s_published_markets_with_their_next_dates(self, client, towns):
        market(opening_hours="Sa 08:00-13:00", commune=towns["angers"])
        market(name="Marché de Bordeaux", opening_hours="Su 08:00-13:00", commune=towns["bordeaux"])
        market(name="Marché en attente", status=Listing.Status.PENDING)
        ListingFactory(name="Ferme du Lac")
        html = text(client.get(MARKETS))
        assert "Marchés et foires en Maine-et-Loire (49)" in html
        assert "1 marché" in html
        assert "Marché de la Doutre" in html
        assert "samedi 5 décembre, 8 h – 13 h" in words(html)
        assert "samedi 12 décembre" in html and "samedi 19 décembre" in html
        doutre = Listing.objects.get(name="Marché de la Doutre")
        assert f'<a href="/activites/{doutre.slug}/calendrier.ics" type="text/calendar">' in html
        assert "Ajouter les dates de Marché de la Doutre à mon agenda (.ics)" in html
        # its days in words, without the six days it is not held
        assert "samedi : 8 h – 13 h" in html and "fermé" not in html
        for hidden in ("Marché de Bordeaux", "Marché en attente", "Ferme du Lac"):
            assert hidden not in html

    def test_a_seasonal_market_shows_its_first_date_of_the_season(self, client, towns):
        market(opening_hours="Apr-Oct We 16:00-19:30")
        assert "mercredi 7 avril" in text(client.get(MARKETS))

    def test_a_closure_moves_the_next_date(self, client, towns):
        listing = market(opening_hours="Sa 08:00-13:00")
        listing.closures.create(starts_on=datetime.date(2026, 12, 5), ends_on=datetime.date(2026, 12, 5))
        html = text(client.get(MARKETS))
        assert "samedi 5 décembre" not in html and "samedi 12 décembre" in html

    def test_near_a_town(self, client, towns):
        market(name="Marché Avrillé", opening_hours="Sa 08:00-13:00", commune=towns["avrille"])
        market(name="Marché de Cholet", opening_hours="Sa 08:00-13:00", commune=towns["cholet"])
        html = text(client.get(MARKETS, {"commune": "Angers", "distance": "10"}))
        assert "Marché Avrillé" in html and "Marché de Cholet" not in html

    def test_an_unknown_town_says_so_next_to_the_field(self, client, towns):
        html = text(client.get(MARKETS, {"commune": "Xyzzyville"}))
        assert 'aria-invalid="true"' in html
        assert "Nous n’avons pas trouvé cette commune." in html

    def test_it_is_linked_from_the_department_page(self, client, towns):
        html = text(client.get("/departements/49-maine-et-loire/"))
        assert f'href="{MARKETS}"' in html and f'href="{WEEK}"' in html

    def test_english(self, client, towns):
        market(opening_hours="Sa 08:00-13:00")
        html = text(client.get("/en" + MARKETS))
        assert "Markets and fairs in Maine-et-Loire (49)" in html
        assert "Saturday 5 December" in html

    def test_a_wrong_slug_redirects(self, client, towns):
        response = client.get("/departements/49-maine/marches/")
        assert response.status_code == 301 and response["Location"] == MARKETS

    def test_it_refuses_post(self, client, towns):
        assert client.post(MARKETS).status_code == 405


class TestWeekAhead:
    def test_the_next_7_days_day_by_day(self, client, towns):
        market(opening_hours="Sa 08:00-13:00; We 16:00-19:00", commune=towns["angers"])
        market(name="Marché de Cholet", opening_hours="Sa 07:00-12:00", commune=towns["cholet"])
        market(name="Marché de Noël", opening_hours="2026 Dec 4-6 10:00-19:00", commune=towns["avrille"])
        market(name="Marché hivernal", opening_hours="2026 Dec 20 10:00-19:00")
        html = text(client.get(WEEK))
        days = re.findall(r'<section class="market-day[^"]*" id="day-(\d{4}-\d\d-\d\d)"', html)
        assert days == [f"2026-{month}-{day:02d}" for month, day in [("11", 30), *[("12", d) for d in range(1, 7)]]]
        saturday = html.split('id="day-2026-12-05"')[1].split("</section>")[0]
        # by opening time: Cholet at 7, the Christmas market at 10 after Doutre at 8
        assert (
            saturday.index("Marché de Cholet")
            < saturday.index("Marché de la Doutre")
            < saturday.index("Marché de Noël")
        )
        wednesday = html.split('id="day-2026-12-02"')[1].split("</section>")[0]
        assert "16 h – 19 h" in wednesday and "Marché de la Doutre" in wednesday
        assert "Marché hivernal" not in html
        assert "Aujourd’hui" in html or "Aujourd'hui" in html
        assert "Aucun marché ce jour-là." in html.split('id="day-2026-12-01"')[1].split("</section>")[0]

    def test_a_market_over_for_today_still_shows_on_today(self, client, towns):
        market(opening_hours="Mo 06:00-08:00")
        today = text(client.get(WEEK)).split('id="day-2026-11-30"')[1].split("</section>")[0]
        assert "Marché de la Doutre" in today

    def test_near_a_town(self, client, towns):
        market(name="Marché Avrillé", opening_hours="Sa 08:00-13:00", commune=towns["avrille"])
        market(name="Marché de Cholet", opening_hours="Sa 08:00-13:00", commune=towns["cholet"])
        html = text(client.get(WEEK, {"commune": "Cholet", "distance": "5"}))
        assert "Marché de Cholet" in html and "Marché Avrillé" not in html


class TestMarketPage:
    def test_it_shows_the_next_dates_and_the_calendar_link(self, client, towns):
        listing = market(opening_hours="Sa[1,3] 08:00-13:00")
        html = text(client.get(listing.get_absolute_url()))
        assert "Prochaines dates" in html
        assert "samedi 5 décembre, 8 h – 13 h" in words(html) and "samedi 19 décembre" in html
        assert "samedi 12 décembre" not in html
        assert f'href="/activites/{listing.slug}/calendrier.ics"' in html

    def test_a_producer_s_page_has_no_dates(self, client, towns):
        listing = ListingFactory(opening_hours="Sa 08:00-13:00")
        html = text(client.get(listing.get_absolute_url()))
        assert listing.name in html and "Prochaines dates" not in html and "calendrier.ics" not in html


def visit(url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url, data or {})
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize(
    "url, data, marker",
    [
        (MARKETS, None, 'class="market-card"'),
        (MARKETS, {"commune": "Angers", "distance": "50"}, 'class="market-card"'),
        (WEEK, None, "market-day__time"),
        (WEEK, {"commune": "Angers", "distance": "50"}, "market-day__time"),
        ("/departements/49-maine-et-loire/marches.ics", None, "BEGIN:VEVENT"),
    ],
)
def test_queries_do_not_grow_with_the_number_of_markets(towns, url, data, marker):
    resolve_town("Angers")

    def grow(n):
        for i in range(n):
            listing = market(
                name=f"Marché {i}",
                commune=towns["avrille" if i % 2 else "angers"],
                opening_hours=["Sa 08:00-13:00", "We 16:00-19:00; PH off", "Sa[1,3] 08:00-12:00"][i % 3],
            )
            if i % 4 == 0:
                listing.closures.create(starts_on=datetime.date(2026, 12, 12), ends_on=datetime.date(2026, 12, 13))

    grow(3)
    cache.clear()
    small, html = visit(url, data)
    assert html.count(marker) >= 3
    grow(27)
    cache.clear()
    large, html = visit(url, data)
    assert html.count(marker) >= 20
    assert small == large
