"""Department teams: a volunteer's departments first in the queue, a department column and filter, counts per
department on the admin home, teams set by a superuser or a coordinator, and a daily digest of their departments."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from localdir.models import CommandRun
from moderation.models import ModeratorProfile, Revision
from producers.models import Listing
from tests.factories import CommuneFactory, DepartmentFactory, ListingFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:moderation_queue")


@pytest.fixture
def bordeaux(db):
    gironde = DepartmentFactory(code="33", name="Gironde", region=RegionFactory(code="75", name="Nouvelle-Aquitaine"))
    return CommuneFactory(
        insee_code="33063", name="Bordeaux", department=gironde, postal_codes="33000", latitude=44.84, longitude=-0.58
    )


@pytest.fixture
def two_departments(angers, bordeaux):
    """An older pending listing in Maine-et-Loire, a newer one in Gironde."""
    anjou = ListingFactory(name="Ferme d’Anjou", status=Listing.Status.PENDING, commune=angers)
    gironde = ListingFactory(name="Ferme de Gironde", status=Listing.Status.PENDING, commune=bordeaux)
    return anjou, gironde


def team(user, *departments, digest=False):
    profile = ModeratorProfile.objects.create(user=user, daily_digest=digest)
    profile.departments.set(departments)
    return profile


class TestTheQueue:
    def test_a_volunteers_departments_come_first(self, moderator_client, moderator, two_departments, bordeaux):
        team(moderator, bordeaux.department)
        page = moderator_client.get(QUEUE).content.decode()
        assert page.index("Ferme de Gironde") < page.index("Ferme d’Anjou")
        assert "Gironde (33)" in page and "Maine-et-Loire (49)" in page  # the department column
        assert re.search(r"Vos départements d’abord\s*:\s*Gironde \(33\)", page)

    def test_without_departments_everything_in_order_of_arrival(self, moderator_client, two_departments):
        page = moderator_client.get(QUEUE).content.decode()
        assert page.index("Ferme d’Anjou") < page.index("Ferme de Gironde")

    def test_the_department_filter(self, moderator_client, two_departments):
        page = moderator_client.get(QUEUE, {"department": "33"}).content.decode()
        assert "Ferme de Gironde" in page and "Ferme d’Anjou" not in page
        assert '<option value="33" selected>' in page

    def test_edits_and_reports_also_come_first_for_the_team(self, moderator_client, moderator, angers, bordeaux):
        team(moderator, bordeaux.department)
        Revision.objects.create(listing=ListingFactory(name="Ferme du Nord", commune=angers), data={})
        Revision.objects.create(listing=ListingFactory(name="Ferme du Sud", commune=bordeaux), data={})
        edits = moderator_client.get(QUEUE).content.decode().split('id="revisions"')[1]
        assert edits.index("Ferme du Sud") < edits.index("Ferme du Nord")

    def test_counts_per_department_on_the_admin_home(self, moderator_client, moderator, two_departments, bordeaux):
        ListingFactory(status=Listing.Status.PENDING, commune=bordeaux)
        team(moderator, bordeaux.department)
        page = moderator_client.get(reverse("admin:index")).content.decode()
        table = re.search(r'id="moderation-by-department".*?</table>', page, flags=re.S)[0]
        rows = re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th><td>(\d+)</td>', table)
        assert rows == [
            (f"{QUEUE}?department=33", "Gironde (33)", "2"),
            (f"{QUEUE}?department=49", "Maine-et-Loire (49)", "1"),
        ]

    def test_the_changelist_has_a_department_column_and_filter(self, moderator_client, two_departments):
        url = reverse("admin:moderation_pendinglisting_changelist")
        page = moderator_client.get(url, {"department__id__exact": two_departments[1].department_id}).content.decode()
        assert "Ferme de Gironde" in page and "Ferme d’Anjou" not in page


def user_change_data(user, **changes):
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [group.pk for group in user.groups.all()],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "moderator_profile-TOTAL_FORMS": "1",
        "moderator_profile-INITIAL_FORMS": "0",
        "moderator_profile-MIN_NUM_FORMS": "0",
        "moderator_profile-MAX_NUM_FORMS": "1",
    }
    data.update(changes)
    return data


class TestWhoSetsTheTeams:
    @pytest.fixture
    def coordinator(self, db):
        user = UserFactory(username="coord", is_staff=True)
        user.groups.add(Group.objects.get(name="Modérateurs"), Group.objects.get(name="Coordinateurs"))
        return user

    def test_a_superuser_assigns_departments_in_the_user_admin(self, client, moderator, bordeaux):
        client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
        url = reverse("admin:auth_user_change", args=[moderator.pk])
        data = user_change_data(
            moderator,
            **{"moderator_profile-0-departments": [bordeaux.department_id], "moderator_profile-0-daily_digest": "on"},
        )
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        profile = moderator.moderator_profile
        assert list(profile.departments.all()) == [bordeaux.department] and profile.daily_digest

    def test_a_coordinator_sets_teams_and_nothing_else(self, client, coordinator, moderator, bordeaux):
        client.force_login(coordinator)
        url = reverse("admin:auth_user_change", args=[moderator.pk])
        page = client.get(url).content.decode()
        assert 'name="moderator_profile-0-departments"' in page and 'name="is_superuser"' not in page
        data = user_change_data(
            moderator,
            is_superuser="on",
            username="pirate",
            **{"moderator_profile-0-departments": [bordeaux.department_id]},
        )
        assert client.post(url, data).status_code == 302
        moderator.refresh_from_db()
        assert (moderator.username, moderator.is_superuser) == ("alice", False)
        assert list(moderator.moderator_profile.departments.all()) == [bordeaux.department]

    def test_a_coordinator_only_sees_volunteers(self, client, coordinator, moderator):
        other = UserFactory(username="editeur", is_staff=True)
        client.force_login(coordinator)
        page = client.get(reverse("admin:auth_user_changelist")).content.decode()
        assert "alice" in page and "editeur" not in page
        response = client.get(reverse("admin:auth_user_change", args=[other.pk]))
        assert response.status_code == 302  # "does not exist", back to the admin home
        assert client.get(reverse("admin:auth_user_add")).status_code == 403

    def test_a_moderator_cannot_set_teams(self, moderator_client, moderator):
        assert moderator_client.get(reverse("admin:auth_user_change", args=[moderator.pk])).status_code == 403


class TestTheDailyDigest:
    def test_each_volunteer_hears_about_their_departments(self, moderator, two_departments, angers, bordeaux):
        team(moderator, bordeaux.department, digest=True)
        everyone = UserFactory(username="bob", is_staff=True)
        everyone.groups.add(Group.objects.get(name="Modérateurs"))
        team(everyone, digest=True)
        quiet = UserFactory(username="carol", is_staff=True)
        quiet.groups.add(Group.objects.get(name="Modérateurs"))
        team(quiet, bordeaux.department, digest=False)

        call_command("send_moderation_digest", stdout=open("/dev/null", "w"))
        by_address = {message.to[0]: message for message in mail.outbox}
        assert set(by_address) == {"alice@example.org", "bob@example.org"}
        assert "Ferme de Gironde" in by_address["alice@example.org"].body
        assert "Ferme d’Anjou" not in by_address["alice@example.org"].body
        assert "Ferme de Gironde" in by_address["bob@example.org"].body
        assert "Ferme d’Anjou" in by_address["bob@example.org"].body
        assert "1 nouveauté à relire" in by_address["alice@example.org"].subject
        assert QUEUE in by_address["alice@example.org"].body

    def test_once_a_day_then_only_what_is_new(self, moderator, bordeaux):
        team(moderator, digest=True)
        ListingFactory(name="Ferme Une", status=Listing.Status.PENDING, commune=bordeaux)
        call_command("send_moderation_digest", stdout=open("/dev/null", "w"))
        call_command("send_moderation_digest", stdout=open("/dev/null", "w"))
        assert len(mail.outbox) == 1

        profile = ModeratorProfile.objects.get()
        profile.last_digest_at = timezone.now() - timedelta(days=1)
        profile.save()
        Listing.objects.filter(name="Ferme Une").update(updated_at=timezone.now() - timedelta(days=2))
        ListingFactory(name="Ferme Deux", status=Listing.Status.PENDING, commune=bordeaux)
        call_command("send_moderation_digest", stdout=open("/dev/null", "w"))
        assert len(mail.outbox) == 2
        assert "Ferme Deux" in mail.outbox[1].body and "Ferme Une" not in mail.outbox[1].body

    def test_nothing_new_no_email(self, moderator):
        team(moderator, digest=True)
        call_command("send_moderation_digest", stdout=open("/dev/null", "w"))
        assert mail.outbox == []

    def test_with_the_mail_server_down_the_run_is_not_a_success(self, moderator, bordeaux, monkeypatch):
        team(moderator, digest=True)
        ListingFactory(name="Ferme Une", status=Listing.Status.PENDING, commune=bordeaux)

        def refuse(self, *args, **kwargs):
            raise ConnectionRefusedError("mail server down")

        with monkeypatch.context() as patch:
            patch.setattr(EmailMultiAlternatives, "send", refuse)
            with pytest.raises(CommandError, match="1 digest"):
                call_command("send_moderation_digest", stdout=open("/dev/null", "w"))
        assert not CommandRun.objects.filter(command="send_moderation_digest").exists()
        # Sent at the next run, the same day.
        call_command("send_moderation_digest", stdout=open("/dev/null", "w"))
        assert "Ferme Une" in mail.outbox[0].body
        assert CommandRun.objects.filter(command="send_moderation_digest").exists()
