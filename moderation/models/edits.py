"""A producer's edit of a published listing (Revision) and its photos, and what the producer is told of the
volunteers' decisions on their listing and its edits."""

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from producers.models import Listing
from producers.models.listing import Photo, next_photo_position

from ..revisions import apply_values
from . import decisions
from .decisions import AlreadyDecided, Decision, _record


class RevisionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Revision.Status.PENDING)


class Revision(models.Model):
    """A proposed edit of a published listing, applied only when a volunteer approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("listing"))
    # The submission form's cleaned values: plain fields, commune id, m2m ids, [[mode id, details]], hours string,
    # and "remove_photos": ids of the listing's photos to delete.
    data = models.JSONField(_("proposed values"), default=dict)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    message = models.TextField(_("message from the volunteer"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self):
        return _("Edit of %(listing)s") % {"listing": self.listing}

    def decide(self, action, by, reason=""):
        """Apply (approve) or close the revision. Raises AlreadyDecided if it is no longer pending."""
        statuses = {
            Decision.Action.APPROVE: self.Status.APPROVED,
            Decision.Action.REJECT: self.Status.REJECTED,
            Decision.Action.REQUEST_CHANGES: self.Status.CHANGES_REQUESTED,
        }
        with transaction.atomic():
            revision = Revision.objects.select_for_update().get(pk=self.pk)
            decisions._after_lock(revision)
            if revision.status != self.Status.PENDING:
                raise AlreadyDecided
            if action == Decision.Action.APPROVE:
                revision.apply()
            revision.status = statuses[action]
            revision.message = reason
            revision.decided_at = timezone.now()
            revision.save(update_fields=["status", "message", "decided_at"])
            _record(by, revision, action, reason)
        self.refresh_from_db()
        return self

    def approve(self, by):
        return self.decide(Decision.Action.APPROVE, by)

    def apply(self):
        """Copy the proposed values onto the live listing."""
        listing = Listing.objects.select_for_update().get(pk=self.listing_id)
        # A volunteer approved what the producer says now: it counts as a confirmation, and a listing hidden for
        # want of one comes back with its new values.
        listing.confirmed_at = timezone.now()
        if listing.status == Listing.Status.UNCONFIRMED:
            listing.status = Listing.Status.PUBLISHED
        # A published change: the feeds and alerts of its area show it as updated.
        listing.changed_at = listing.confirmed_at
        apply_values(listing, self.data)
        # The edit's photos go after the photos the listing keeps, in the edit's order: numbered within the edit from
        # 0, their own positions would put a replacement of the last photo second, or a new photo before the cover.
        proposed = list(self.photos.order_by("position", "pk"))
        start = next_photo_position(listing.photos, adding=len(proposed))
        for position, photo in enumerate(proposed, start=start):
            listing.photos.create(
                image=photo.image.name, thumbnail=photo.thumbnail.name, alt_text=photo.alt_text, position=position
            )


class RevisionPhoto(Photo):
    """A photo proposed in a revision; it joins the listing's photos when the revision is approved."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="photos")

    class Meta(Photo.Meta):
        verbose_name = _("proposed photo")
        verbose_name_plural = _("proposed photos")


def decisions_about(listing):
    """The volunteers' decisions on a listing and on its edits, oldest first."""
    return Decision.objects.filter(
        models.Q(content_type=ContentType.objects.get_for_model(Listing), object_id=listing.pk)
        | models.Q(
            content_type=ContentType.objects.get_for_model(Revision),
            object_id__in=list(listing.revisions.values_list("pk", flat=True)),
        )
    ).order_by("pk")


def volunteer_message(listing):
    """The volunteer's latest question or refusal, while the producer has not answered it with an edit; or None."""
    last = decisions_about(listing).last()
    if last is None or last.action not in (Decision.Action.REJECT, Decision.Action.REQUEST_CHANGES):
        return None
    if listing.updated_at > last.created_at or listing.revisions.filter(created_at__gt=last.created_at).exists():
        return None
    return last
