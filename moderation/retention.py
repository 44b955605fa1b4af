"""What the privacy notice promises, done: refused submissions, listings hidden for want of confirmation and never
claimed back, and handled reports do not keep personal data.

Run daily by `manage.py purge_personal_data` (docs/moderation.md). Each rule is a queryset, so a dry run counts
exactly what a real run deletes.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from localdir import kept_files
from producers.models import Listing, ListingPhoto

from .models import ConfirmationStep, EditToken, ErrorReport, Revision, RevisionPhoto


def retention_days():
    # Six months by default (settings.py), as the privacy notice says (moderation/includes/listing_form.html).
    return settings.MODERATION_RETENTION_DAYS


def rejected_listings(cutoff):
    """New listings refused before `cutoff` (a rejected listing only changes when it is refused)."""
    return Listing.objects.filter(status=Listing.Status.REJECTED, updated_at__lt=cutoff)


def forgotten_listings(cutoff):
    """Listings hidden before `cutoff` because nobody confirmed them (moderation.freshness), still hidden: the
    business has most likely closed, and its producer's data is not kept for ever."""
    hidden = ConfirmationStep.objects.filter(
        listing=OuterRef("pk"),
        step=ConfirmationStep.Step.HIDE,
        confirmed_at=OuterRef("confirmed_at"),
        taken_at__lte=cutoff,  # on the day the hiding email announced
    )
    return Listing.objects.filter(Exists(hidden), status=Listing.Status.UNCONFIRMED)


def refused_revisions(cutoff):
    """Edits refused, sent back for changes or replaced by a newer edit, before `cutoff`; never applied."""
    return Revision.objects.annotate(closed_at=Coalesce("decided_at", "created_at")).filter(
        status__in=[Revision.Status.REJECTED, Revision.Status.CHANGES_REQUESTED], closed_at__lt=cutoff
    )


def handled_report_emails():
    return ErrorReport.objects.exclude(status=ErrorReport.Status.OPEN).exclude(email="")


def dead_edit_tokens():
    """Links that open nothing any more: revoked (a newer email replaced them, or the data was erased)."""
    return EditToken.objects.filter(revoked_at__isnull=False)


@dataclass
class Purge:
    rejected_listings: int = 0
    forgotten_listings: int = 0
    refused_revisions: int = 0
    photos: int = 0
    report_emails: int = 0
    edit_tokens: int = 0
    kept_photos: int = 0


def purge(now=None, dry_run=False):
    """Apply every rule; returns what was (or, with dry_run, would be) erased."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days())
    forgotten = forgotten_listings(cutoff)
    listings = Listing.objects.filter(
        Q(pk__in=rejected_listings(cutoff).values("pk")) | Q(pk__in=forgotten.values("pk"))
    )
    revisions = refused_revisions(cutoff)
    photos = ListingPhoto.objects.filter(listing__in=listings)
    revision_photos = RevisionPhoto.objects.filter(Q(revision__in=revisions) | Q(revision__listing__in=listings))
    result = Purge(
        rejected_listings=rejected_listings(cutoff).count(),
        forgotten_listings=forgotten.count(),
        refused_revisions=revisions.count(),
        photos=photos.count() + revision_photos.count(),
        report_emails=handled_report_emails().count(),
        edit_tokens=dead_edit_tokens().count(),
    )
    # Photos kept for a refused form that was never sent again (localdir.kept_files), a photo and its medium size.
    stale_files = kept_files.stale(now)
    result.kept_photos = len([path for path in stale_files if "-medium." not in path])
    if dry_run:
        return result
    files = [(f.storage, f.name) for p in [*photos, *revision_photos] for f in (p.image, p.thumbnail) if f]
    with transaction.atomic():
        # Deleting a listing deletes its photos, deliveries, revisions, links and reports (CASCADE).
        Revision.objects.filter(pk__in=revisions.values("pk")).delete()
        listings.delete()
        handled_report_emails().update(email="")
        dead_edit_tokens().delete()
    # Files last: a failed transaction must not leave rows pointing at deleted files. A refused revision's photo
    # was never copied to the listing, so no live photo shares its file.
    for storage, name in files:
        storage.delete(name)
    kept_files.delete_files(stale_files)
    return result
