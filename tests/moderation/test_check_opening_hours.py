"""`manage.py check_opening_hours` also reads the edits awaiting review: one sent before the forms refused days split
by a space would write them onto its listing when approved. Moderation adds them to producers' check."""

import pytest
from django.core.management import call_command

from moderation.models import Revision
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def check(capsys, *args):
    with pytest.raises(SystemExit) as exit:
        call_command("check_opening_hours", *args)
    assert exit.value.code == 1
    return capsys.readouterr().out.splitlines()


def test_a_pending_edit_with_split_days_is_reported_and_a_decided_one_is_not(angers, capsys):
    listing = ListingFactory(name="Ferme du Lac", commune=angers, opening_hours="Mo-Fr 09:00-12:00")
    pending = Revision.objects.create(listing=listing, data={"opening_hours": "Mo, We 10:00-12:00"})
    Revision.objects.create(
        listing=listing, data={"opening_hours": "Tu, Th 10:00-12:00"}, status=Revision.Status.REJECTED
    )
    Revision.objects.create(listing=listing, data={"opening_hours": "Mo,We 10:00-12:00"})
    assert check(capsys) == [f"revision {pending.pk}\tof Ferme du Lac\tMo, We 10:00-12:00\t→ Mo,We 10:00-12:00"]
    assert Revision.objects.get(pk=pending.pk).data["opening_hours"] == "Mo, We 10:00-12:00"


def test_the_days_at_a_market_in_a_pending_edit_are_reported(angers, capsys):
    market = ListingFactory(kind="market", commune=angers)
    listing = ListingFactory(name="Ferme du Lac", commune=angers)
    pending = Revision.objects.create(listing=listing, data={"markets": [[market.pk, "Sa, 08:00-12:00"]]})
    assert check(capsys, "--published") == [
        f"revision {pending.pk}\tof Ferme du Lac, markets of listing {market.pk}\tSa, 08:00-12:00"
        "\t→ no suggestion: give the hours of Sa"
    ]
