"""purge_personal_data: refused submissions go after six months, handled reports lose their email, dead links go."""

import io
import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from moderation.models import Decision, EditToken, ErrorReport, Revision, decide_listing
from producers.models import Listing
from tests.factories import ListingFactory

from .test_photos import jpeg

pytestmark = pytest.mark.django_db

SEVEN_MONTHS_AGO = timezone.now() - timedelta(days=213)
FIVE_MONTHS_AGO = timezone.now() - timedelta(days=152)


def purge(*args):
    out = io.StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def listing(status, when, **kwargs):
    item = ListingFactory(status=status, email="producteur@example.org", **kwargs)
    item.photos.create(image=ContentFile(jpeg(), name="p.jpg"))
    Listing.objects.filter(pk=item.pk).update(updated_at=when)
    return item


def revision(published, status, when):
    item = Revision.objects.create(listing=published, data={"email": "nouveau@example.org"}, status=status)
    item.photos.create(image=ContentFile(jpeg(), name="r.jpg"))
    Revision.objects.filter(pk=item.pk).update(created_at=when, decided_at=when if status != "pending" else None)
    return item


def photo_path(obj):
    return obj.photos.get().image.path


class TestRefusedListings:
    def test_a_listing_refused_more_than_six_months_ago_is_deleted_with_its_photos(self, angers):
        old = listing(Listing.Status.REJECTED, SEVEN_MONTHS_AGO)
        path = photo_path(old)
        EditToken.issue(old)
        purge()
        assert not Listing.objects.filter(pk=old.pk).exists()
        assert not os.path.exists(path)
        assert not EditToken.objects.exists()

    def test_a_recent_refusal_and_other_statuses_are_kept(self, angers):
        kept = [
            listing(Listing.Status.REJECTED, FIVE_MONTHS_AGO),
            listing(Listing.Status.PENDING, SEVEN_MONTHS_AGO),
            listing(Listing.Status.PUBLISHED, SEVEN_MONTHS_AGO),
            listing(Listing.Status.UNPUBLISHED, SEVEN_MONTHS_AGO),
        ]
        paths = [photo_path(item) for item in kept]
        purge()
        assert Listing.objects.count() == 4
        assert all(os.path.exists(path) for path in paths)

    def test_the_decisions_log_is_kept(self, angers, moderator):
        old = listing(Listing.Status.PENDING, SEVEN_MONTHS_AGO)
        decide_listing(old.pk, Decision.Action.REJECT, moderator, "Hors sujet.")
        Listing.objects.filter(pk=old.pk).update(updated_at=SEVEN_MONTHS_AGO)
        purge()
        assert not Listing.objects.filter(pk=old.pk).exists()
        assert Decision.objects.get().reason == "Hors sujet."

    def test_the_retention_is_a_setting(self, angers, settings):
        settings.MODERATION_RETENTION_DAYS = 30
        listing(Listing.Status.REJECTED, FIVE_MONTHS_AGO)
        purge()
        assert not Listing.objects.exists()


class TestRefusedEdits:
    @pytest.mark.parametrize("status", [Revision.Status.REJECTED, Revision.Status.CHANGES_REQUESTED])
    def test_an_edit_refused_more_than_six_months_ago_is_deleted_with_its_photos(self, angers, status):
        published = ListingFactory()
        old = revision(published, status, SEVEN_MONTHS_AGO)
        path = photo_path(old)
        purge()
        assert not Revision.objects.exists()
        assert not os.path.exists(path)
        assert Listing.objects.filter(pk=published.pk).exists()

    def test_an_edit_replaced_by_a_newer_one_counts_from_when_it_was_sent(self, angers):
        # The edit view closes a replaced edit without a decision date.
        old = revision(ListingFactory(), Revision.Status.REJECTED, SEVEN_MONTHS_AGO)
        Revision.objects.filter(pk=old.pk).update(decided_at=None)
        purge()
        assert not Revision.objects.exists()

    def test_pending_approved_and_recent_edits_are_kept(self, angers):
        published = ListingFactory()
        revision(published, Revision.Status.PENDING, SEVEN_MONTHS_AGO)
        approved = revision(published, Revision.Status.APPROVED, SEVEN_MONTHS_AGO)
        revision(published, Revision.Status.REJECTED, FIVE_MONTHS_AGO)
        path = photo_path(approved)
        purge()
        assert Revision.objects.count() == 3
        assert os.path.exists(path)


class TestReportsAndLinks:
    def test_handled_reports_lose_their_email_open_ones_keep_it(self, angers):
        published = ListingFactory()
        for status in ErrorReport.Status:
            ErrorReport.objects.create(
                listing=published, kind="closed", message="Fermé.", email=f"{status}@example.org", status=status
            )
        purge()
        emails = dict(ErrorReport.objects.values_list("status", "email"))
        assert emails == {"open": "open@example.org", "fixed": "", "dismissed": ""}

    def test_revoked_links_are_deleted_the_active_one_still_opens(self, angers):
        published = ListingFactory()
        EditToken.issue(published)
        active = EditToken.renew(published)
        purge()
        assert EditToken.objects.count() == 1
        assert EditToken.find(active).listing == published


def test_a_dry_run_counts_and_changes_nothing(angers):
    old = listing(Listing.Status.REJECTED, SEVEN_MONTHS_AGO)
    path = photo_path(old)
    ErrorReport.objects.create(listing=ListingFactory(), kind="closed", message="x", email="a@b.fr", status="fixed")
    out = purge("--dry-run")
    assert "1 rejected listings" in out and "1 photos" in out and "1 handled error reports" in out
    assert "Dry run" in out
    assert Listing.objects.filter(pk=old.pk).exists()
    assert os.path.exists(path)
    assert ErrorReport.objects.get().email == "a@b.fr"


def test_a_real_run_reports_what_it_erased(angers):
    listing(Listing.Status.REJECTED, SEVEN_MONTHS_AGO)
    out = purge()
    assert (
        "1 rejected listings, 0 listings hidden unconfirmed and 0 refused edits older than 183 days were deleted, "
        "with 1 photos."
    ) in out
    assert "Dry run" not in out
    assert purge().startswith("0 rejected listings")
