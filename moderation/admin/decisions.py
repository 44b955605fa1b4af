"""Decisions taken in the admin: applying one, telling the producer, and approving several at once."""

from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import emails
from ..models import AlreadyDecided, AwaitingChanges, Decision, ErrorReport, Revision, decide_listing

LISTING_ACTIONS = [
    Decision.Action.APPROVE,
    Decision.Action.REJECT,
    Decision.Action.REQUEST_CHANGES,
    Decision.Action.WITHDRAW,
    Decision.Action.REPUBLISH,
    Decision.Action.CONFIRM,
]
# The producer reads why, and the log keeps it.
REASON_REQUIRED = {Decision.Action.REJECT, Decision.Action.REQUEST_CHANGES, Decision.Action.WITHDRAW}


def _notify(kind, obj, action, reason):
    """Tell the producer; every email carries a fresh private link (except for a refused new listing)."""
    listing = obj if kind == "listing" else obj.listing
    context = {"reason": reason, "revision": obj if kind == "revision" else None}
    if action in (Decision.Action.APPROVE, Decision.Action.REPUBLISH):
        emails.send_with_link("approved", listing, context)
    elif action == Decision.Action.CONFIRM:
        emails.send_with_link("confirmed", listing, context)
    elif action == Decision.Action.WITHDRAW:
        # No link: a withdrawn listing's private link opens nothing until a volunteer re-publishes it.
        emails.send_on_commit("withdrawn", listing, context)
    elif action == Decision.Action.REQUEST_CHANGES:
        emails.send_with_link("changes_requested", listing, context)
    elif action == Decision.Action.REJECT:
        if kind == "revision":
            emails.send_with_link("rejected", listing, context)
        else:
            emails.send_on_commit("rejected", listing, context)


def decide(kind, pk, action, by, reason="", seen=None, unless_awaiting_changes=False):
    """Apply a decision; returns the decided object. Raises AlreadyDecided (or ChangedSinceReview when `seen`, the
    version of the listing the volunteer reviewed, is no longer the current one; or AwaitingChanges)."""
    if kind == "listing":
        obj = decide_listing(pk, action, by, reason, seen=seen, unless_awaiting_changes=unless_awaiting_changes)
    elif kind == "revision":
        obj = Revision.objects.select_related("listing").get(pk=pk).decide(action, by, reason)
    else:
        return ErrorReport.objects.get(pk=pk).decide(action, by, reason)
    _notify(kind, obj, action, reason)
    return obj


def bulk_approve(kind):
    def action(modeladmin, request, queryset):
        done = skipped = awaiting = 0
        for pk in queryset.values_list("pk", flat=True):
            try:
                # A listing whose producer was asked for changes waits for them: approving it unread would publish
                # what a colleague has just asked to correct.
                decide(kind, pk, Decision.Action.APPROVE, request.user, unless_awaiting_changes=True)
                done += 1
            except AwaitingChanges:
                awaiting += 1
            except AlreadyDecided:
                skipped += 1
        modeladmin.message_user(
            request, ngettext("%(done)s approved.", "%(done)s approved.", done) % {"done": done}, messages.SUCCESS
        )
        if skipped:
            modeladmin.message_user(
                request,
                ngettext(
                    "%(n)s was already decided by someone else, left as it was.",
                    "%(n)s were already decided by someone else, left as they were.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )
        if awaiting:
            modeladmin.message_user(
                request,
                ngettext(
                    "%(n)s awaits the changes asked of its producer, left as it was (its review page still lets you"
                    " decide).",
                    "%(n)s await the changes asked of their producers, left as they were (their review pages still"
                    " let you decide).",
                    awaiting,
                )
                % {"n": awaiting},
                messages.WARNING,
            )

    action.short_description = _("Approve the selected items")
    action.allowed_permissions = ("change",)
    action.__name__ = f"approve_{kind}s"
    return action
