"""The volunteers' lists of listings speak French: the department column and filter are titled in French too."""

import re

import pytest
from django.urls import reverse

from producers.models import Attendance, Listing
from tests.factories import CommuneFactory, DepartmentFactory, ListingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:producers_listing_changelist",
        "admin:moderation_pendinglisting_changelist",
        "admin:moderation_stalelisting_changelist",
    ],
)
def test_the_department_column_and_filter_are_titled_in_french(client, angers, changelist):
    ListingFactory(status=Listing.Status.PENDING)
    ListingFactory(commune=CommuneFactory(insee_code="44109", name="Nantes", department=DepartmentFactory(code="44")))
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get(reverse(changelist)).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Par département" in text
    assert not re.search(r"\bdepartment\b", text)


def test_the_column_is_sorted_by_department(client, angers):
    ListingFactory(status=Listing.Status.PENDING)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:moderation_pendinglisting_changelist")).content.decode()
    assert re.search(r'<th scope="col" class="sortable column-department_name">.*?Département', page, re.S)


def test_the_stands_department_filter_is_titled_in_french(client, angers):
    nantes = CommuneFactory(insee_code="44109", name="Nantes", department=DepartmentFactory(code="44"))
    for commune in (angers, nantes):
        market = ListingFactory(kind=Listing.Kind.MARKET, commune=commune)
        Attendance.objects.create(producer=ListingFactory(commune=commune), market=market)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:producers_attendance_changelist")).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Par département" in text
    assert not re.search(r"\bdepartment\b", text)
