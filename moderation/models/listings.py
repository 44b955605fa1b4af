"""Decisions on a listing itself (new, published, withdrawn), its yearly confirmation, and the volunteers' queues of
listings in the admin."""

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from producers.models import Listing

from . import decisions
from .decisions import AlreadyDecided, AwaitingChanges, ChangedSinceReview, Decision, _record
from .reports import ErrorReport


def _awaiting_changes(listing):
    latest = (
        Decision.objects.filter(content_type=ContentType.objects.get_for_model(Listing), object_id=listing.pk)
        .only("action", "created_at")
        .first()
    )
    return (
        listing.status == Listing.Status.PENDING
        and latest is not None
        and latest.action == Decision.Action.REQUEST_CHANGES
        and latest.created_at >= listing.updated_at
    )


def listing_version(listing):
    """What the review page shows the volunteer, as a token: a producer's edit changes it, and so does another
    volunteer's decision that leaves the status as it was (asking for changes, confirming)."""
    latest = Decision.objects.filter(content_type=ContentType.objects.get_for_model(Listing), object_id=listing.pk)
    return f"{listing.updated_at.isoformat()}/{latest.values_list('pk', flat=True).first() or 0}"


# Which listing statuses each decision starts from, and the one it leads to. Nothing else changes a listing's status
# in the admin: the Listing admin shows it read-only, so every publication and withdrawal is in the log.
LISTING_TRANSITIONS = {
    "approve": (("pending",), "published"),
    "reject": (("pending",), "rejected"),
    "request_changes": (("pending",), "pending"),
    "withdraw": (("published", "unconfirmed"), "unpublished"),
    "republish": (("unpublished",), "published"),
    # Still right (a volunteer phoned the producer): a listing hidden for want of confirmation comes back as it was.
    "confirm": (("published", "unconfirmed"), "published"),
}


def listing_actions(listing):
    """The decisions a volunteer may take on the listing as it is now."""
    actions = [action for action, (before, _after) in LISTING_TRANSITIONS.items() if listing.status in before]
    if "republish" in actions and not _withdrawn_by_volunteer(listing):
        # An erased listing is unpublished too, at its producer's request: only they may bring it back.
        actions.remove("republish")
    return actions


def _withdrawn_by_volunteer(listing):
    latest = (
        Decision.objects.filter(content_type=ContentType.objects.get_for_model(Listing), object_id=listing.pk)
        .values_list("action", flat=True)
        .first()
    )
    return latest == Decision.Action.WITHDRAW


def record_erasure(listing):
    """Log the producer's erasure: after it, the latest decision is no longer a withdrawal a volunteer may undo."""
    return _record(None, listing, Decision.Action.ERASE)


def record_hiding(listing):
    """Log that the daily command hid a listing nobody confirmed (no volunteer)."""
    return _record(None, listing, Decision.Action.HIDE)


def decide_listing(listing_pk, action, by, reason="", seen=None, unless_awaiting_changes=False):
    """Decide on a listing: approve, reject or ask changes while pending; withdraw a published one; re-publish a
    withdrawn one. Raises AlreadyDecided if the listing is no longer in the state the decision starts from.

    The row is locked (select_for_update) and its status read again inside the transaction, so two volunteers
    deciding at once cannot both apply a decision: the second one waits for the first, then sees it.
    `unless_awaiting_changes` (approving several at once, without reading each one): raises AwaitingChanges for a
    listing whose producer was asked for changes and has not edited it since.
    """
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing_pk)
        decisions._after_lock(listing)
        if action not in listing_actions(listing):
            raise AlreadyDecided
        if unless_awaiting_changes and _awaiting_changes(listing):
            raise AwaitingChanges
        if seen is not None and (version := listing_version(listing)) != seen:
            # The producer's edit, or a decision taken since the page was opened (two volunteers asking for changes
            # at once, or one asking while the other approves, would send the producer contradictory emails).
            if version.split("/")[-1] != seen.split("/")[-1]:
                raise AlreadyDecided
            raise ChangedSinceReview
        after = LISTING_TRANSITIONS[action][1]
        if after == Listing.Status.PUBLISHED:
            # A volunteer has just checked it: the yearly confirmation counts from now.
            listing.confirmed_at = timezone.now()
        if action == "republish":
            # Public again: news for those who follow its area (alerts); a first publication is dated by save().
            listing.changed_at = timezone.now()
        if after != listing.status or after == Listing.Status.PUBLISHED:
            listing.status = after
            # save() sets published_at on publication and keeps the search and hours tables in step.
            listing.save()
        _record(by, listing, action, reason)
        if action == "confirm":
            # The volunteer checked: shoppers' "closed for good" reports on it were wrong.
            for report in listing.error_reports.open().filter(kind=ErrorReport.Kind.CLOSED):
                report.decide(Decision.Action.DISMISS, by, reason)
    return listing


def confirm_by_producer(listing_pk):
    """The producer's "Yes, nothing changed" through their private link: the listing is confirmed now and, if it was
    hidden for want of confirmation, public again without review, since nothing in it changed. Logged with no
    volunteer. Returns the listing; raises AlreadyDecided if it is neither published nor awaiting confirmation."""
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing_pk)
        if listing.status not in LISTING_TRANSITIONS["confirm"][0]:
            raise AlreadyDecided
        listing.status = Listing.Status.PUBLISHED
        listing.confirmed_at = timezone.now()
        listing.save(update_fields=["status", "confirmed_at"])
        _record(None, listing, Decision.Action.CONFIRM, _("Confirmed by the producer through their private link."))
    return listing


class PendingListing(Listing):
    """New listings awaiting review: the volunteers' queue in the admin (same table as Listing)."""

    class Meta:
        proxy = True
        ordering = ["created_at"]
        verbose_name = _("new listing to review")
        verbose_name_plural = _("new listings to review")


class StaleListing(Listing):
    """Listings a volunteer should check by phone: the admin's "stale listings" queue (moderation.freshness)."""

    class Meta:
        proxy = True
        verbose_name = _("stale listing")
        verbose_name_plural = _("stale listings")


class ConfirmationStep(models.Model):
    """One step of a listing's yearly confirmation, taken by the daily `confirm_listings`: the question, the reminder,
    hiding it. One row per step and per confirmation date, so running the command again sends nothing twice;
    confirming gives the listing a new date, and the next year's steps are new rows."""

    class Step(models.TextChoices):
        ASK = "ask", _("Asked to confirm")
        REMIND = "remind", _("Reminded")
        HIDE = "hide", _("Hidden until confirmed")

    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="confirmation_steps", verbose_name=_("listing")
    )
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    # The listing's confirmed_at when the step was taken: the cycle it belongs to.
    confirmed_at = models.DateTimeField(_("confirmation it follows"))
    taken_at = models.DateTimeField(_("date"))
    # False when the listing has no email address: nobody could be told, the volunteers' queue shows it.
    emailed = models.BooleanField(_("emailed"), default=True)

    class Meta:
        ordering = ["taken_at", "pk"]
        verbose_name = _("confirmation step")
        verbose_name_plural = _("confirmation steps")
        constraints = [
            models.UniqueConstraint(fields=["listing", "step", "confirmed_at"], name="confirmation_step_once")
        ]

    def __str__(self):
        return f"{self.get_step_display()} · {self.listing}"
