"""Listings stored with days split by a space ("Mo, We 10:00-12:00", read as Monday open all day) before the forms
refused them: volunteers see them (the admin's filter and warning, `check_opening_hours`) and decide the repair."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from producers import hours
from producers.forms.hours import ADVANCED, decompress
from producers.models import Attendance, Listing
from tests.factories import ListingFactory, UserFactory

SPLIT = "Mo, We 10:00-12:00"


@pytest.mark.parametrize(
    ("stored", "meant"),
    [
        (SPLIT, "Mo,We 10:00-12:00"),
        ("Mo-Sa 09:00-19:00; Su, PH off", "Mo-Sa 09:00-19:00; Su,PH off"),
        ("Mo , We 10:00-12:00; Sa, Su 09:00-12:00", "Mo,We 10:00-12:00; Sa,Su 09:00-12:00"),
        ('Mo, Tu 10:00-12:00 "a, b"', 'Mo,Tu 10:00-12:00 "a, b"'),
        ("Mo-Fr 09:00-12:00", "Mo-Fr 09:00-12:00"),
    ],
)
def test_the_days_are_joined_in_every_rule(stored, meant):
    assert hours.join_split_days(stored) == meant
    hours.validate_opening_hours(meant)  # what the forms accept


def test_joining_leaves_the_comments_alone():
    # The same text in a comment before the rule stayed as the producer wrote it: only the rule is rewritten.
    stored = 'Mo 10:00-12:00 "fermé Su, PH off"; Su, PH off'
    assert hours.join_split_days(stored) == 'Mo 10:00-12:00 "fermé Su, PH off"; Su,PH off'


def test_nothing_to_join_gives_no_suggestion():
    assert hours.join_split_days("Mo, 10:00-12:00") is None


def test_the_per_day_form_shows_split_days_as_typed_not_as_a_day_open_all_day():
    # Read day by day, Monday showed open 00:00-24:00, and saving the form wrote that reading back.
    value = decompress(SPLIT)
    assert value["mode"] == ADVANCED and value["advanced"] == SPLIT


pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer():
    user = UserFactory(is_staff=True)
    for codename in ("view_listing", "change_listing"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


@pytest.fixture
def listings(angers):
    return {
        "split": ListingFactory(name="Ferme Virgule", commune=angers, opening_hours=SPLIT),
        "no_hours": ListingFactory(name="Ferme Sans Heures", commune=angers, opening_hours="Mo, 10:00-12:00"),
        "fine": ListingFactory(name="Ferme Juste", commune=angers, opening_hours="Mo-Fr 09:00-12:00, 14:00-18:00"),
    }


def changelist(client, **params):
    return client.get(reverse("admin:producers_listing_changelist"), params)


def test_the_admin_filter_lists_the_listings_to_correct(client, volunteer, listings):
    client.force_login(volunteer)
    html = changelist(client, hours="split-days").content.decode()
    assert "Ferme Virgule" in html and "Ferme Sans Heures" in html
    assert "Ferme Juste" not in html
    assert "Ferme Juste" in changelist(client).content.decode()


def test_the_listing_page_warns_and_suggests(client, volunteer, listings):
    client.force_login(volunteer)
    html = client.get(reverse("admin:producers_listing_change", args=[listings["split"].pk])).content.decode()
    assert "« Mo » comme ouvert toute la journée" in html
    assert "Mo,We 10:00-12:00" in html
    # The hours are shown as stored, for the volunteer to correct: not as Monday open all day.
    assert f'value="{SPLIT}"' in html
    # Beside the field too, as the producer's own form shows it: the message saving it would give.
    assert "écrivez les jours sans espace après la virgule (« Mo,We 10:00-12:00 »)" in html
    fine = client.get(reverse("admin:producers_listing_change", args=[listings["fine"].pk])).content.decode()
    assert "comme ouvert toute la journée" not in fine


def act(client, *targets):
    return client.post(
        reverse("admin:producers_listing_changelist"),
        {"action": "join_split_days", "_selected_action": [t.pk for t in targets]},
        follow=True,
    )


def test_a_volunteer_joins_the_days_and_the_change_is_public_news(client, volunteer, listings):
    split = listings["split"]
    before = split.changed_at
    client.force_login(volunteer)
    html = act(client, split, listings["no_hours"], listings["fine"]).content.decode()
    split.refresh_from_db()
    assert split.opening_hours == "Mo,We 10:00-12:00"
    assert split.changed_at > before
    entry = LogEntry.objects.get(object_id=str(split.pk))
    assert entry.user == volunteer
    # The history says which field and keeps what was stored: the repair does not mean the same.
    assert "Mo, We 10:00-12:00" in entry.get_change_message()
    assert "Mo,We 10:00-12:00" in entry.get_change_message()
    # The one without a suggestion is left for a person to give the hours, and said so.
    assert Listing.objects.get(pk=listings["no_hours"].pk).opening_hours == "Mo, 10:00-12:00"
    assert "Ferme Sans Heures" in html and "corrigé" in html
    assert Listing.objects.get(pk=listings["fine"].pk).opening_hours == "Mo-Fr 09:00-12:00, 14:00-18:00"


def test_a_viewer_cannot_repair(client, listings):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_listing"))
    client.force_login(user)
    act(client, listings["split"])
    assert Listing.objects.get(pk=listings["split"].pk).opening_hours == SPLIT


def test_the_command_reports_and_proposes_without_writing(listings, capsys):
    with pytest.raises(SystemExit) as exit:
        call_command("check_opening_hours")
    assert exit.value.code == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert out[0].endswith(f"Ferme Virgule\t{SPLIT}\t→ Mo,We 10:00-12:00")
    assert out[1].endswith("→ no suggestion: give the hours of Mo")
    assert Listing.objects.get(pk=listings["split"].pk).opening_hours == SPLIT


def test_the_command_is_quiet_when_all_is_well(angers, capsys):
    ListingFactory(commune=angers)
    call_command("check_opening_hours")
    assert capsys.readouterr() == ("", "")  # cron mails anything written


def test_the_command_reports_a_stands_own_days_split_by_a_space(angers, capsys):
    producer = ListingFactory(name="Ferme du Marché", commune=angers)
    market = ListingFactory(name="Marché Lafayette", kind=Listing.Kind.MARKET, commune=angers)
    elsewhere = ListingFactory(name="Marché du Ralliement", kind=Listing.Kind.MARKET, commune=angers)
    stand = Attendance.objects.create(producer=producer, market=market, schedule="Sa, Su 08:00-12:00")
    Attendance.objects.create(producer=producer, market=elsewhere, schedule="Sa[1,3]")
    with pytest.raises(SystemExit) as exit:
        call_command("check_opening_hours")
    assert exit.value.code == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [f"stand {stand.pk}\tFerme du Marché at Marché Lafayette\tSa, Su 08:00-12:00\t→ Sa,Su 08:00-12:00"]
    assert Attendance.objects.get(pk=stand.pk).schedule == "Sa, Su 08:00-12:00"  # reported, not written


def test_the_published_check_leaves_out_the_stands_of_a_withdrawn_producer(angers, capsys):
    producer = ListingFactory(commune=angers, status=Listing.Status.PENDING)
    market = ListingFactory(kind=Listing.Kind.MARKET, commune=angers)
    Attendance.objects.create(producer=producer, market=market, schedule="Sa, Su 08:00-12:00")
    with pytest.raises(SystemExit):
        call_command("check_opening_hours")
    assert "Sa, Su 08:00-12:00" in capsys.readouterr().out
    call_command("check_opening_hours", "--published")
    assert capsys.readouterr() == ("", "")
