"""The review page of each kind of item and its decision view, added to the item's own ModelAdmin.

Each kind's pages live under its model's admin URL (/admin/moderation/pendinglisting/queue/listing/5/), so the
admin's sidebar highlights the queue the item belongs to. State changes only in the POST-only decide view.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import re_path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from producers.models import Listing

from .. import review
from ..forms import ReasonForm
from ..models import (
    AlreadyDecided,
    ChangedSinceReview,
    Decision,
    ErrorReport,
    PendingListing,
    Revision,
    listing_actions,
    listing_version,
)
from ..revisions import serialize_listing
from .decisions import LISTING_ACTIONS, REASON_REQUIRED, decide

CHANGED_SINCE_REVIEW = _(
    "The producer changed this listing while you were reading it: nothing was decided, here is the new version."
)
ALREADY_DECIDED = _("Another volunteer has already decided on this item; nothing was changed.")
# A double click, or the form sent again: the first click's decision stands and nothing is done twice.
ALREADY_YOURS = _("You have already decided on this item (%(action)s); nothing more was done.")
MODELS = {"listing": PendingListing, "revision": Revision, "report": ErrorReport}
ALLOWED = {
    "listing": set(LISTING_ACTIONS),
    "revision": {Decision.Action.APPROVE, Decision.Action.REJECT, Decision.Action.REQUEST_CHANGES},
    "report": {Decision.Action.FIX, Decision.Action.DISMISS},
}


def _decisions(kind, pk):
    """The log of decisions on one item, latest first."""
    return Decision.objects.filter(
        content_type__model={"listing": "listing", "revision": "revision", "report": "errorreport"}[kind],
        object_id=pk,
    )


class ReviewViewsMixin:
    """Review and decide pages for `kind` ("listing", "revision" or "report")."""

    kind = None

    def get_urls(self):
        view = self.admin_site.admin_view
        prefix = rf"^queue/(?P<kind>{self.kind})/(?P<pk>[0-9]+)/"
        return [
            re_path(prefix + "$", view(self.review_view), name="moderation_review"),
            re_path(prefix + "decide/$", view(require_POST(self.decide_view)), name="moderation_decide"),
            *super().get_urls(),
        ]

    def _check(self, request):
        if not request.user.has_perm(f"moderation.change_{MODELS[self.kind]._meta.model_name}"):
            raise PermissionDenied

    def review_view(self, request, kind, pk, reason="", reason_form=None, seen=None):
        self._check(request)
        context = {
            **self.admin_site.each_context(request),
            "kind": kind,
            # The message a volunteer had typed when their decision could not be applied is given back to them.
            "reason_form": reason_form or ReasonForm(initial={"reason": reason} if reason else None),
            **getattr(self, f"_{kind}_context")(pk),
        }
        if seen:
            # A message refused for being empty: the page again still carries what the volunteer had seen, so a
            # decision taken meanwhile by another volunteer still stops theirs.
            context["seen"] = seen
        context["decisions"] = _decisions(kind, pk)
        return TemplateResponse(request, "moderation/admin/review.html", context)

    def _listing_context(self, pk):
        listing = get_object_or_404(Listing.objects.select_related("commune"), pk=pk)
        values = serialize_listing(listing)
        pending = listing.status == Listing.Status.PENDING
        return {
            "obj": listing,
            "listing": listing,
            "seen": listing_version(listing),
            "actions": listing_actions(listing),
            "pending": pending,
            "resubmitted_after": review.resubmitted_after(listing) if pending else None,
            "rows": review.listing_rows(listing),
            "photos": listing.photos.all(),
            "point": (values["latitude"], values["longitude"]),
            "duplicates": review.duplicate_hints(values, listing.pk),
            "title": (_("New listing: %(name)s") if pending else _("Listing: %(name)s")) % {"name": listing.name},
        }

    def _revision_context(self, pk):
        revision = get_object_or_404(Revision.objects.select_related("listing__commune"), pk=pk)
        return {
            "obj": revision,
            "listing": revision.listing,
            "pending": revision.status == Revision.Status.PENDING,
            "resubmitted_after": review.revision_resubmitted_after(revision),
            "rows": review.revision_rows(revision),
            "photos": revision.photos.all(),
            "live_photos": revision.listing.photos.all(),
            "point": (revision.data.get("latitude"), revision.data.get("longitude")),
            "duplicates": review.duplicate_hints(revision.data, revision.listing_id),
            "title": _("Edit of %(name)s") % {"name": revision.listing.name},
        }

    def _report_context(self, pk):
        report = get_object_or_404(ErrorReport.objects.select_related("listing"), pk=pk)
        return {
            "obj": report,
            "listing": report.listing,
            "pending": report.status == ErrorReport.Status.OPEN,
            "report": report,
            "title": _("Report on %(name)s") % {"name": report.listing.name},
        }

    def decide_view(self, request, kind, pk):
        self._check(request)
        action = request.POST.get("action")
        review_url = reverse("admin:moderation_review", args=[kind, pk])
        if action not in ALLOWED[kind]:
            messages.error(request, _("Unknown action."))
            return HttpResponseRedirect(review_url)
        if action in REASON_REQUIRED:
            form = ReasonForm(request.POST)
            if not form.is_valid():
                # The page again, the error next to the message box and what was typed in it kept.
                messages.error(request, _("Write a message for the producer: it is sent with your decision."))
                return self.review_view(request, kind, pk, reason_form=form, seen=request.POST.get("seen"))
            reason = form.cleaned_data["reason"]
        else:
            reason = request.POST.get("reason", "").strip()
        if action == Decision.Action.REJECT and request.POST.get("confirmed") != "yes":
            # Refusing cannot be undone: a second step, which works without JavaScript.
            context = {
                **self.admin_site.each_context(request),
                "kind": kind,
                "pk": pk,
                "reason": reason,
                "seen": request.POST.get("seen", ""),
                "review_url": review_url,
                "title": _("Reject: are you sure?"),
            }
            return TemplateResponse(request, "moderation/admin/confirm_reject.html", context)
        try:
            decide(kind, pk, action, request.user, reason, seen=request.POST.get("seen") or None)
        except ChangedSinceReview:
            messages.warning(request, CHANGED_SINCE_REVIEW)
            return self.review_view(request, kind, pk, reason=reason)
        except AlreadyDecided:
            latest = _decisions(kind, pk).first()
            if latest is not None and latest.moderator_id == request.user.pk and latest.action == action:
                messages.info(request, ALREADY_YOURS % {"action": latest.get_action_display()})
                return HttpResponseRedirect(reverse("admin:moderation_queue"))
            messages.warning(request, ALREADY_DECIDED)
            return HttpResponseRedirect(review_url)
        messages.success(request, _("Decision recorded: %(action)s.") % {"action": Decision.Action(action).label})
        return HttpResponseRedirect(reverse("admin:moderation_queue"))
