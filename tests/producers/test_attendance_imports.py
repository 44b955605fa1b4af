"""Importing stands at markets from a CSV file in the admin: a dry-run report, then one transaction."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from producers import attendance_imports
from producers.models import Attendance, Listing
from tests.factories import ListingFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/producers/attendance/import/"


@pytest.fixture
def listings(towns):
    market = ListingFactory(
        name="Marché de Cholet", kind=Listing.Kind.MARKET, commune=towns["cholet"], opening_hours="Sa 08:00-13:00"
    )
    farm = ListingFactory(name="Ferme du Lac", commune=towns["angers"], external_id="partenaire-42")
    bakery = ListingFactory(name="Fournil d'Avrillé", commune=towns["avrille"])
    return market, farm, bakery


def csv_of(*rows, header=("producer", "market", "schedule")):
    """A file as a spreadsheet writes it: "Sa[1,3]" is quoted since it holds the separator."""
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue()


def test_rows_name_listings_by_address_slug_or_external_id(listings):
    market, farm, bakery = listings
    text = csv_of(
        ["partenaire-42", f"https://localdir.example/activites/{market.slug}/", "Sa[1,3]"],
        [bakery.slug, market.slug, ""],
    )
    report = attendance_imports.read(text)
    assert report.errors == []
    assert [(row.producer, row.market, row.schedule, row.action) for row in report.rows] == [
        (farm, market, "Sa[1,3]", "create"),
        (bakery, market, "", "create"),
    ]
    assert not Attendance.objects.exists()  # reading writes nothing
    assert report.save() == 2
    assert sorted(Attendance.objects.values_list("producer__name", "schedule")) == [
        ("Ferme du Lac", "Sa[1,3]"),
        ("Fournil d'Avrillé", ""),
    ]
    assert "markets" in farm.deliveries.values_list("mode__code", flat=True)


def test_the_same_file_twice_changes_nothing_and_new_days_update_the_link(listings):
    market, farm, _bakery = listings
    text = csv_of([farm.slug, market.slug, "Sa[1,3]"])
    attendance_imports.read(text).save()
    again = attendance_imports.read(text)
    assert [row.action for row in again.rows] == ["unchanged"]
    assert again.save() == 0
    changed = attendance_imports.read(csv_of([farm.slug, market.slug, "Apr-Oct"]))
    assert [row.action for row in changed.rows] == ["update"]
    changed.save()
    assert Attendance.objects.get().schedule == "Apr-Oct"


def test_each_problem_is_reported_on_its_row_and_column(listings):
    market, farm, bakery = listings
    report = attendance_imports.read(
        csv_of(
            ["inconnu", market.slug, ""],
            [farm.slug, bakery.slug, ""],
            [market.slug, market.slug, ""],
            [farm.slug, market.slug, "le samedi"],
            [bakery.slug, market.slug, ""],
            [bakery.slug, market.slug, "Sa[2]"],
        )
    )
    errors = [(number, column) for number, column, _message in report.errors]
    assert errors == [(2, "producer"), (3, "market"), (4, "producer"), (5, "schedule"), (7, "producer")]
    assert report.errors[-1][2] == "Même stand que la ligne 6."
    assert [row.number for row in report.valid_rows] == [6]


def test_a_file_without_its_columns_is_refused_as_a_whole():
    report = attendance_imports.read("name,commune\nFerme,Angers\n")
    assert [column for _row, column, _message in report.errors] == ["producer", "market"]
    assert report.save() == 0


def staff(*permissions):
    user = UserFactory(is_staff=True)
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_upload_report_then_confirm_in_the_admin(client, listings):
    market, farm, _bakery = listings
    client.force_login(staff("view_attendance", "add_attendance"))
    changelist = client.get(reverse("admin:producers_attendance_changelist")).content.decode()
    assert f'href="{URL}"' in changelist
    upload = SimpleUploadedFile("stands.csv", csv_of([farm.slug, market.slug, "Sa[1,3]"]).encode(), "text/csv")
    html = client.post(URL, {"step": "preview", "file": upload}).content.decode()
    assert 'id="import-rows"' in html and "Ferme du Lac (Angers)" in html and "Sa[1,3]" in html
    assert not Attendance.objects.exists()
    response = client.post(URL, {"step": "confirm"})
    assert response["Location"] == reverse("admin:producers_attendance_changelist")
    assert Attendance.objects.get().producer == farm
    # The file is used once.
    assert client.post(URL, {"step": "confirm"})["Location"] == URL


def test_staff_without_the_add_permission_is_refused(client, listings):
    client.force_login(staff("view_attendance"))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"step": "confirm"}).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
