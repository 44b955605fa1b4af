"""The volunteers' decisions: their log, which nobody edits or deletes, and what a decision that came too late
raises."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AlreadyDecided(Exception):
    """Another volunteer decided first: nothing was changed."""


class ChangedSinceReview(AlreadyDecided):
    """The producer edited the listing after the volunteer opened it: nothing was changed."""


class AwaitingChanges(AlreadyDecided):
    """A volunteer asked the producer for changes and the producer has not sent them yet: nothing was changed."""


def _after_lock(obj):
    """Called once a row is locked for a decision; the concurrency test hooks in here to hold the lock (the models
    call it as decisions._after_lock, so that one patch of this module reaches them all)."""


def _record(by, obj, action, reason=""):
    return Decision.objects.create(
        moderator=by,
        moderator_name=by.get_username() if by else "",
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        action=action,
        reason=reason,
    )


class Decision(models.Model):
    """The audit log: who decided what, when and why. Written by the code only, never edited."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")
        REQUEST_CHANGES = "request_changes", _("Ask for changes")
        DISMISS = "dismiss", _("Dismiss")
        FIX = "fix", _("Mark as fixed")
        WITHDRAW = "withdraw", _("Withdraw")
        REPUBLISH = "republish", _("Re-publish")
        # Written by the producer's erase link, with no volunteer: it ends what a volunteer may bring back.
        ERASE = "erase", _("Erased by the producer")
        # The listing is still right: a volunteer who phoned, or its producer through the link (no volunteer's name).
        CONFIRM = "confirm", _("Confirm")
        # Written by the daily `confirm_listings`: nobody confirmed the listing in LISTING_HIDE_AFTER_DAYS.
        HIDE = "hide", _("Hidden until confirmed")
        # A volunteer turned a producer's own words ("marché du samedi à Angers") into a link to that market.
        LINK = "link", _("Link to a market")

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="moderation_decisions",
        verbose_name=_("volunteer"),
    )
    # Kept even if the account is deleted later.
    moderator_name = models.CharField(_("volunteer's username"), max_length=150, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("object type"))
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=200)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.get_action_display()} · {self.object_repr}"
