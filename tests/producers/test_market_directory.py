"""Markets in the directory: the "today" and "this weekend" filters on the pages and the map data, the markets'
own marker in the map data, their next date in the open-data files, the sitemap and their schema.org Event."""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.urls import reverse

from producers import hours
from producers.models import Listing
from tests.factories import ListingFactory
from tests.responses import body

pytestmark = pytest.mark.django_db

# Friday 4 December 2026 at 10:00 in Paris: "this weekend" is Saturday 5 and Sunday 6.
FRIDAY_10H = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=hours.PARIS)
DEPARTMENT = "/departements/49-maine-et-loire/"


def at(monkeypatch, moment):
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    cache.clear()


@pytest.fixture
def friday(monkeypatch):
    at(monkeypatch, FRIDAY_10H)


def market(name, opening_hours, **fields):
    return ListingFactory(kind=Listing.Kind.MARKET, name=name, opening_hours=opening_hours, **fields)


@pytest.fixture
def week(friday, towns):
    """Markets held at different moments around Friday 4 December, and a farm open every day."""
    market("Marché du vendredi matin", "Fr 07:00-09:30")  # over before 10:00
    market("Marché du vendredi soir", "Fr 16:00-19:00")
    market("Marché du samedi", "Sa 08:00-13:00")
    market("Marché du dimanche", "Su 08:00-13:00")
    closed = market("Marché fermé ce samedi", "Sa 08:00-13:00")
    closed.closures.create(starts_on=datetime.date(2026, 12, 5), ends_on=datetime.date(2026, 12, 5))
    market("Marché du mardi", "Tu 08:00-13:00")
    ListingFactory(name="Ferme ouverte tous les jours", opening_hours="Mo-Su 09:00-19:00")


def names(response):
    assert response.status_code == 200
    return set(re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a></h3>', response.content.decode()))


def geojson_names(client, query):
    url = reverse("producers:department_geojson", kwargs={"code": "49", "slug": "maine-et-loire"})
    response = client.get(url, query)
    assert response.status_code == 200
    data = json.loads(body(response))
    return {feature["properties"]["name"]: feature["properties"] for feature in data["features"]}


class TestWhenFilter:
    def test_today_is_what_is_still_to_come_today(self, client, week):
        assert names(client.get(DEPARTMENT, {"kind": "market", "when": "today"})) == {"Marché du vendredi soir"}

    def test_this_weekend(self, client, week):
        assert names(client.get(DEPARTMENT, {"kind": "market", "when": "weekend"})) == {
            "Marché du samedi",
            "Marché du dimanche",
        }

    def test_on_sunday_this_weekend_is_what_is_left_of_it(self, client, towns, monkeypatch):
        at(monkeypatch, datetime.datetime(2026, 12, 6, 12, 0, tzinfo=hours.PARIS))
        market("Marché du samedi", "Sa 08:00-13:00")
        market("Marché du dimanche matin", "Su 07:00-11:00")
        market("Marché du dimanche midi", "Su 08:00-13:00")
        assert names(client.get(DEPARTMENT, {"when": "weekend"})) == {"Marché du dimanche midi"}

    def test_it_applies_to_every_listing_and_combines_with_the_kind(self, client, week):
        weekend = names(client.get(DEPARTMENT, {"when": "weekend"}))
        assert "Ferme ouverte tous les jours" in weekend and "Marché du samedi" in weekend
        assert "Marché du mardi" not in weekend

    def test_the_map_data_follows_the_same_filter(self, client, week):
        found = geojson_names(client, {"kind": "market", "when": "weekend"})
        assert set(found) == {"Marché du samedi", "Marché du dimanche"}

    def test_an_unknown_value_is_an_error_next_to_the_field(self, client, week):
        html = client.get(DEPARTMENT, {"when": "someday"}).content.decode()
        assert 'id="when-error"' in html

    def test_the_form_offers_it(self, client, week):
        html = client.get(DEPARTMENT).content.decode()
        assert '<label for="id_when">Quand</label>' in html
        assert '<option value="weekend">Ce week-end</option>' in html


def test_markets_have_their_own_marker_in_the_map_data(client, week):
    found = geojson_names(client, {})
    assert found["Marché du samedi"]["market"] is True
    assert "market" not in found["Ferme ouverte tous les jours"]


def test_the_map_explains_its_markers_in_words(client, week):
    html = client.get(DEPARTMENT).content.decode()
    assert "Les marqueurs carrés sont des marchés, points de retrait et foires." in html
    assert '"marketNamed": "Marché : %(name)s"' in html.replace("&quot;", '"')


def test_exports_give_a_market_s_next_date(client, week):
    url = reverse("producers:department_export", kwargs={"code": "49", "slug": "maine-et-loire", "fmt": "csv"})
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(body(client.get(url)).decode()))}
    assert rows["Marché du vendredi soir"]["next_date"] == "2026-12-04T16:00:00+01:00"
    assert rows["Marché fermé ce samedi"]["next_date"] == "2026-12-12T08:00:00+01:00"
    assert rows["Marché du vendredi matin"]["next_date"] == "2026-12-11T07:00:00+01:00"
    assert rows["Ferme ouverte tous les jours"]["next_date"] == ""
    url = reverse("producers:department_export", kwargs={"code": "49", "slug": "maine-et-loire", "fmt": "geojson"})
    features = json.loads(body(client.get(url)))["features"]
    by_name = {feature["properties"]["name"]: feature["properties"] for feature in features}
    assert by_name["Marché du samedi"]["next_date"] == "2026-12-05T08:00:00+01:00"
    assert by_name["Marché du samedi"]["kind"] == "market"


def test_the_sitemap_lists_the_markets_pages_of_departments_with_markets(client, week, towns, settings):
    settings.SITE_URL = "https://localdir.example"
    # Gironde has only a pending market and a farm: no markets pages listed.
    market("Marché en attente", "Sa 08:00-12:00", status=Listing.Status.PENDING, commune=towns["bordeaux"])
    ListingFactory(name="Ferme girondine", commune=towns["bordeaux"])
    response = client.get("/sitemap-marches.xml")
    assert response.status_code == 200
    urls = [loc.text for loc in ET.fromstring(response.content).iterfind(".//{*}loc")]
    assert urls == [
        "https://localdir.example/departements/49-maine-et-loire/marches/",
        "https://localdir.example/departements/49-maine-et-loire/marches/cette-semaine/",
    ]


class TestSchemaOrg:
    def json_ld(self, client, listing):
        html = client.get(listing.get_absolute_url()).content.decode()
        (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
        return json.loads(script)

    def test_a_weekly_market_is_an_event_with_its_schedule_at_a_place(self, client, friday, towns):
        listing = market("Marché Lafayette", "Sa 08:00-13:00; PH off", street_address="Place Lafayette")
        data = self.json_ld(client, listing)
        assert data["@type"] == "Event"
        assert data["location"]["@type"] == "Place"
        assert data["location"]["address"]["streetAddress"] == "Place Lafayette"
        assert data["startDate"] == "2026-12-05T08:00:00+01:00"
        (schedule,) = data["eventSchedule"]
        assert schedule["@type"] == "Schedule"
        assert schedule["repeatFrequency"] == "P1W"
        assert schedule["byDay"] == ["https://schema.org/Saturday"]
        assert (schedule["startTime"], schedule["endTime"]) == ("08:00", "13:00")
        assert schedule["scheduleTimezone"] == "Europe/Paris"
        assert schedule["startDate"] == "2026-12-05"

    def test_first_and_third_saturdays(self, client, friday, towns):
        data = self.json_ld(client, market("Marché bio", "Sa[1,3] 09:00-12:00"))
        (schedule,) = data["eventSchedule"]
        assert schedule["repeatFrequency"] == "P1M"
        assert (schedule["byDay"], schedule["byMonthWeek"]) == ("https://schema.org/Saturday", [1, 3])

    def test_a_fair_has_its_dates(self, client, friday, towns):
        data = self.json_ld(client, market("Marché de Noël", "2026 Dec 12-13 10:00-19:00"))
        assert data["startDate"] == "2026-12-12T10:00:00+01:00"
        assert data["endDate"] == "2026-12-13T19:00:00+01:00"

    def test_a_producer_stays_a_local_business(self, client, friday, towns):
        assert self.json_ld(client, ListingFactory())["@type"] == "LocalBusiness"


def test_the_api_takes_the_same_when_filter(client, week):
    response = client.get("/api/v1/markets", {"when": "weekend"})
    assert response.status_code == 200
    assert {item["name"] for item in response.json()["results"]} == {"Marché du samedi", "Marché du dimanche"}
    assert response.json()["results"][0]["next_date"].startswith("2026-12-0")
    # It changes with the clock, not with a stored change: no Last-Modified to revalidate against.
    assert "Last-Modified" not in response
    assert client.get("/api/v1/markets", {"when": "someday"}).status_code in (400, 422)
