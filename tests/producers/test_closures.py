"""Temporary closures: while one lasts, the page, the cards, the map and the "open now" filter all say closed."""

import datetime
import json
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from producers import hours
from producers.forms.closures import MAX_PER_LISTING, ClosureForm
from producers.models import Closure, Listing
from tests.factories import ListingFactory

PARIS = ZoneInfo("Europe/Paris")
EVERY_DAY = "Mo-Su 09:00-18:00"
DEPARTMENT = "/departements/49-maine-et-loire/"


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def closed(start, end, note=""):
    return SimpleNamespace(starts_on=start, ends_on=end, note=note)


AUGUST_1_TO_15 = closed(datetime.date(2026, 8, 1), datetime.date(2026, 8, 15))


class TestStatus:
    def test_a_closure_covering_the_day_closes_an_open_listing(self):
        result = hours.status(EVERY_DAY, paris(2026, 8, 5, 10, 0), [AUGUST_1_TO_15])
        assert result.is_open is False
        assert result.label == "Fermé temporairement · ouvre le 16 août à 9 h"
        assert result.changes_at == paris(2026, 8, 16, 9, 0)

    def test_the_last_day_is_closed_and_the_next_morning_open(self):
        assert hours.status(EVERY_DAY, paris(2026, 8, 15, 17, 0), [AUGUST_1_TO_15]).label == (
            "Fermé temporairement · ouvre demain à 9 h"
        )
        assert hours.status(EVERY_DAY, paris(2026, 8, 16, 10, 0), [AUGUST_1_TO_15]).is_open is True

    def test_the_next_opening_skips_a_closure_to_come(self):
        """Friday evening before the holidays: not "opens tomorrow", but after them."""
        result = hours.status(EVERY_DAY, paris(2026, 7, 31, 19, 0), [AUGUST_1_TO_15])
        assert result.label == "Fermé · ouvre le 16 août à 9 h"

    def test_an_open_listing_closes_at_midnight_before_a_closure(self):
        result = hours.status("24/7", paris(2026, 7, 31, 10, 0), [AUGUST_1_TO_15])
        assert (result.is_open, result.changes_at) == (True, paris(2026, 8, 1, 0, 0))

    def test_a_single_day(self):
        may_2 = closed(datetime.date(2026, 5, 2), datetime.date(2026, 5, 2))
        assert hours.status(EVERY_DAY, paris(2026, 5, 2, 10, 0), [may_2]).label == (
            "Fermé temporairement · ouvre demain à 9 h"
        )
        assert hours.status(EVERY_DAY, paris(2026, 5, 1, 19, 0), [may_2]).label == "Fermé · ouvre dimanche à 9 h"

    def test_closures_elsewhere_in_time_change_nothing(self):
        plain = hours.status(EVERY_DAY, paris(2026, 9, 1, 10, 0))
        assert hours.status(EVERY_DAY, paris(2026, 9, 1, 10, 0), [AUGUST_1_TO_15]) == plain

    def test_by_appointment_during_a_closure_is_closed_and_says_when_it_is_back(self):
        result = hours.status('Mo-Su "sur rendez-vous"', paris(2026, 8, 5, 10, 0), [AUGUST_1_TO_15])
        assert (result.is_open, result.label) == (False, "Fermé temporairement · de retour le 16 août")

    def test_weekdays_by_appointment_during_a_closure(self):
        """Only appointments after the closure: the label names the first day they take again (Monday 17th)."""
        result = hours.status(
            'Mo-Fr 08:00-12:00,14:00-18:00 "sur rendez-vous"', paris(2026, 8, 5, 10, 0), [AUGUST_1_TO_15]
        )
        assert (result.is_open, result.label) == (False, "Fermé temporairement · de retour le 17 août")

    def test_a_closure_years_ahead_or_without_end_never_breaks_the_status(self):
        far = closed(datetime.date(9999, 12, 20), datetime.date(9999, 12, 31))
        moment = paris(2026, 8, 5, 10, 0)
        assert hours.status(EVERY_DAY, moment, [far]) == hours.status(EVERY_DAY, moment)
        endless = closed(datetime.date(2026, 8, 1), datetime.date(9999, 12, 31))
        assert hours.status(EVERY_DAY, moment, [endless]).label == "Fermé temporairement"


@pytest.mark.django_db
class TestForm:
    @pytest.fixture
    def listing(self, angers, clock):
        return ListingFactory()

    def form(self, listing, **data):
        return ClosureForm({"starts_on": "", "ends_on": "", "note": "", **data}, instance=Closure(listing=listing))

    def test_french_dates_are_read(self, listing):
        form = self.form(listing, starts_on="01/08/2026", ends_on="15/08/2026", note="Congés d’été")
        assert form.is_valid(), form.errors
        closure = form.save()
        assert (closure.starts_on, closure.ends_on, closure.note) == (
            datetime.date(2026, 8, 1),
            datetime.date(2026, 8, 15),
            "Congés d’été",
        )

    @pytest.mark.parametrize(
        "data, field, message",
        [
            ({"starts_on": "2026-08-15", "ends_on": "2026-08-01"}, "ends_on", "ne peut pas être avant"),
            ({"starts_on": "2026-02-01", "ends_on": "2026-02-10"}, "ends_on", "serait déjà terminée"),
            ({"starts_on": "2026-03-01", "ends_on": "2026-12-31"}, "ends_on", "183 jours au plus"),
            ({"starts_on": "2026-08-01", "ends_on": "2026-08-32"}, "ends_on", "Saisissez une date"),
            ({"starts_on": "9999-12-20", "ends_on": "9999-12-31"}, "starts_on", "dans un an au plus"),
            ({"starts_on": "2027-03-03", "ends_on": "2027-03-05"}, "starts_on", "dans un an au plus"),
            ({"starts_on": "", "ends_on": "2026-08-02"}, "starts_on", "premier jour"),
            (
                {"starts_on": "2026-08-01", "ends_on": "2026-08-02", "note": "voir www.example.fr"},
                "note",
                "adresse web",
            ),
            ({"starts_on": "2026-08-01", "ends_on": "2026-08-02", "note": "x" * 101}, "note", "100 caractères"),
            ({"starts_on": "2026-08-01", "ends_on": "2026-08-02", "note": "voir bit.ly/ferme"}, "note", "adresse web"),
            ({"starts_on": "2026-08-01", "ends_on": "2026-08-02", "note": "ferme-dupont.shop"}, "note", "adresse web"),
            ({"starts_on": "2026-08-01", "ends_on": "2026-08-02", "note": "fermedupont . fr"}, "note", "adresse web"),
        ],
    )
    def test_bad_input_is_refused_next_to_the_field(self, listing, data, field, message):
        form = self.form(listing, **data)
        assert not form.is_valid()
        assert message in " ".join(form.errors[field])
        assert not Closure.objects.exists()

    def test_a_closure_under_way_is_accepted(self, listing, clock):
        today = clock.now.date()
        assert self.form(listing, starts_on=str(today - datetime.timedelta(days=3)), ends_on=str(today)).is_valid()

    def test_a_closure_a_year_ahead_is_accepted(self, listing, clock):
        start = clock.now.date() + datetime.timedelta(days=366)
        assert self.form(listing, starts_on=str(start), ends_on=str(start)).is_valid()

    @pytest.mark.parametrize(
        "note", ["Congés d’été. Retour le 16.", "M. et Mme Dupont en congés", "Travaux (ex. toiture)"]
    )
    def test_an_ordinary_note_is_not_taken_for_a_web_address(self, listing, note):
        assert self.form(listing, starts_on="2026-08-01", ends_on="2026-08-02", note=note).is_valid()

    def test_a_note_stays_on_one_line(self, listing):
        form = self.form(listing, starts_on="2026-08-01", ends_on="2026-08-02", note="Congés\nd’été")
        assert form.is_valid()
        assert form.cleaned_data["note"] == "Congés d’été"

    def test_the_number_of_closures_to_come_is_bounded(self, listing):
        for day in range(MAX_PER_LISTING):
            Closure.objects.create(listing=listing, starts_on=datetime.date(2026, 9, day + 1), ends_on="2026-09-30")
        form = self.form(listing, starts_on="2026-10-01", ends_on="2026-10-02")
        assert not form.is_valid()
        assert "au plus" in form.non_field_errors()[0]


@pytest.mark.django_db
class TestOpenNowAgrees:
    """At one moment, the filter, the card, the map and the page say the same thing."""

    @pytest.fixture
    def shop(self, angers):
        listing = ListingFactory(name="Boutique en congés", opening_hours=EVERY_DAY)
        Closure.objects.create(listing=listing, starts_on="2026-08-01", ends_on="2026-08-15", note="Congés d’été")
        return listing

    @pytest.fixture
    def neighbour(self, angers):
        return ListingFactory(name="Boutique ouverte", opening_hours=EVERY_DAY)

    @staticmethod
    def travel(clock, moment):
        """Move the clock, as the daily refresh_opening_slots would have run that night: the open-now filter reads
        slots written for the weeks after the day they were written."""
        clock.now = moment
        call_command("refresh_opening_slots", verbosity=0)

    def seen(self, client, shop):
        page = client.get(shop.get_absolute_url()).content.decode()
        cards = client.get(DEPARTMENT).content.decode()
        filtered = client.get(DEPARTMENT + "?open_now=on").content.decode()
        data = json.loads(client.get(DEPARTMENT + "carte.geojson").content)
        feature = next(f for f in data["features"] if f["properties"]["name"] == shop.name)
        is_open, label = data["hours"][feature["properties"]["hours"]]
        return page, cards, filtered, {"is_open": is_open, "open_label": label}

    def test_during_a_closure_everything_says_closed(self, client, clock, shop, neighbour):
        self.travel(clock, paris(2026, 8, 5, 10, 0))
        assert list(Listing.objects.open_at()) == [neighbour]
        page, cards, filtered, properties = self.seen(client, shop)
        label = "Fermé temporairement · ouvre le 16 août à 9 h"
        assert "Fermé temporairement jusqu’au 15 août inclus. Congés d’été" in page
        assert label in page and label in cards
        assert shop.name not in filtered and neighbour.name in filtered
        assert (properties["is_open"], properties["open_label"]) == (False, label)

    def test_closures_back_to_back_are_announced_as_one(self, client, clock, shop):
        """1–15 then 16–20 August: the notice and the status agree that the shop is back on the 21st."""
        Closure.objects.create(listing=shop, starts_on="2026-08-16", ends_on="2026-08-20")
        clock.now = paris(2026, 8, 5, 10, 0)
        page = client.get(shop.get_absolute_url()).content.decode()
        assert "Fermé temporairement jusqu’au 20 août inclus." in page
        assert "Fermé temporairement · ouvre le 21 août à 9 h" in page

    def test_a_single_day_off_today_is_exceptional(self, client, clock, angers):
        shop = ListingFactory(name="Boutique fermée un jour", opening_hours=EVERY_DAY)
        Closure.objects.create(listing=shop, starts_on="2026-08-05", ends_on="2026-08-05")
        clock.now = paris(2026, 8, 5, 10, 0)
        assert "Fermé exceptionnellement aujourd’hui." in client.get(shop.get_absolute_url()).content.decode()

    def test_before_it_everything_says_open_and_announces_it(self, client, clock, shop, neighbour):
        self.travel(clock, paris(2026, 7, 30, 10, 0))
        assert set(Listing.objects.open_at()) == {shop, neighbour}
        page, cards, filtered, properties = self.seen(client, shop)
        assert "Fermé temporairement jusqu" not in page
        assert "Fermé du 1 août au 15 août 2026 : Congés d’été" in page
        assert shop.name in filtered
        assert properties["is_open"] is True

    def test_once_over_it_is_gone(self, client, clock, shop, neighbour):
        self.travel(clock, paris(2026, 8, 16, 10, 0))
        page, cards, filtered, properties = self.seen(client, shop)
        assert "Congés d’été" not in page and shop.name in filtered and properties["is_open"] is True
        call_command("confirm_listings", stdout=open("/dev/null", "w"))
        assert not Closure.objects.exists()

    def test_with_open_now_agrees_with_open_at(self, clock, shop, neighbour):
        self.travel(clock, paris(2026, 8, 5, 10, 0))
        assert dict(Listing.objects.with_open_now().values_list("name", "is_open")) == {
            shop.name: False,
            neighbour.name: True,
        }

    def test_the_department_page_costs_the_same_queries_with_more_closures(self, client, clock, angers):
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        clock.now = paris(2026, 8, 5, 10, 0)

        def count():
            cache.clear()  # the cards and filter choices are cached: what the first visitor's page costs
            with CaptureQueriesContext(connection) as queries:
                response = client.get(DEPARTMENT)
            assert response.status_code == 200
            return len(queries), response.content.decode().count("Fermé temporairement")

        for n in range(2):
            listing = ListingFactory(name=f"Ferme {n}", opening_hours=EVERY_DAY)
            Closure.objects.create(listing=listing, starts_on="2026-08-01", ends_on="2026-08-15")
        few = count()
        for n in range(2, 10):
            listing = ListingFactory(name=f"Ferme {n}", opening_hours=EVERY_DAY)
            Closure.objects.create(listing=listing, starts_on="2026-08-01", ends_on="2026-08-15")
            Closure.objects.create(listing=listing, starts_on="2026-09-01", ends_on="2026-09-02")
        many = count()
        assert (few[1], many[1]) == (2, 10), "both sizes show their closed cards"
        assert few[0] == many[0]
