"""The volunteers' side, in the Django admin: a queue, a review page per item, decisions written to the log.

Decisions change state only through POST views here or admin actions (both CSRF-protected), and always through
decide_listing() / Revision.decide() / ErrorReport.decide(), which lock the row so the first volunteer wins.
"""

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from producers.admin import ListingAdmin
from producers.models import Listing

from . import emails, review
from .forms import ReasonForm
from .models import (
    AlreadyDecided,
    ChangedSinceReview,
    Decision,
    ErrorReport,
    PendingListing,
    Revision,
    decide_listing,
    listing_actions,
    listing_version,
)
from .revisions import serialize_listing

CHANGED_SINCE_REVIEW = _(
    "The producer changed this listing while you were reading it: nothing was decided, here is the new version."
)
LISTING_ACTIONS = [
    Decision.Action.APPROVE,
    Decision.Action.REJECT,
    Decision.Action.REQUEST_CHANGES,
    Decision.Action.WITHDRAW,
    Decision.Action.REPUBLISH,
]
# The producer reads why, and the log keeps it.
REASON_REQUIRED = {Decision.Action.REJECT, Decision.Action.REQUEST_CHANGES, Decision.Action.WITHDRAW}
ALREADY_DECIDED = _("Another volunteer has already decided on this item; nothing was changed.")


def queue_counts():
    return {
        "listings": Listing.objects.filter(status=Listing.Status.PENDING).count(),
        "revisions": Revision.objects.pending().count(),
        "reports": ErrorReport.objects.open().count(),
    }


def _notify(kind, obj, action, reason):
    """Tell the producer; every email carries a fresh private link (except for a refused new listing)."""
    listing = obj if kind == "listing" else obj.listing
    context = {"reason": reason, "revision": obj if kind == "revision" else None}
    if action in (Decision.Action.APPROVE, Decision.Action.REPUBLISH):
        emails.send_with_link("approved", listing, context)
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


def decide(kind, pk, action, by, reason="", seen=None):
    """Apply a decision; returns the decided object. Raises AlreadyDecided (or ChangedSinceReview when `seen`, the
    version of the listing the volunteer reviewed, is no longer the current one)."""
    if kind == "listing":
        obj = decide_listing(pk, action, by, reason, seen=seen)
    elif kind == "revision":
        obj = Revision.objects.select_related("listing").get(pk=pk).decide(action, by, reason)
    else:
        return ErrorReport.objects.get(pk=pk).decide(action, by, reason)
    _notify(kind, obj, action, reason)
    return obj


def _bulk_approve(kind):
    def action(modeladmin, request, queryset):
        done = skipped = 0
        for pk in queryset.values_list("pk", flat=True):
            try:
                decide(kind, pk, Decision.Action.APPROVE, request.user)
                done += 1
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

    action.short_description = _("Approve the selected items")
    action.allowed_permissions = ("change",)
    action.__name__ = f"approve_{kind}s"
    return action


class ReviewLinkMixin:
    @admin.display(description=_("review"))
    def review_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:moderation_review", args=[self.kind, obj.pk]), _("Review")
        )


@admin.register(PendingListing)
class PendingListingAdmin(ReviewLinkMixin, admin.ModelAdmin):
    kind = "listing"
    list_display = ["name", "commune", "email", "created_at", "review_link"]
    list_select_related = ["commune"]
    ordering = ["created_at"]
    actions = [_bulk_approve("listing")]
    search_fields = ["name", "email"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Listing.Status.PENDING)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:moderation_review", args=["listing", object_id]))


@admin.register(Revision)
class RevisionAdmin(ReviewLinkMixin, admin.ModelAdmin):
    kind = "revision"
    list_display = ["listing", "status", "created_at", "review_link"]
    list_filter = ["status"]
    list_select_related = ["listing"]
    ordering = ["created_at"]
    actions = [_bulk_approve("revision")]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:moderation_review", args=["revision", object_id]))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("queue/", view(self.queue_view), name="moderation_queue"),
            path("queue/<str:kind>/<int:pk>/", view(self.review_view), name="moderation_review"),
            path("queue/<str:kind>/<int:pk>/decide/", view(require_POST(self.decide_view)), name="moderation_decide"),
            *super().get_urls(),
        ]

    # A ModelAdmin's URLs live under its model's: the queue is /admin/moderation/revision/queue/.

    def _check(self, request, kind):
        model = {"listing": PendingListing, "revision": Revision, "report": ErrorReport}.get(kind)
        if model is None:
            raise PermissionDenied
        if not request.user.has_perm(f"moderation.change_{model._meta.model_name}"):
            raise PermissionDenied
        return model

    def queue_view(self, request):
        if not request.user.has_perm("moderation.view_revision"):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Moderation queue"),
            "counts": queue_counts(),
            "listings": Listing.objects.filter(status=Listing.Status.PENDING)
            .select_related("commune")
            .order_by("created_at")[:50],
            "revisions": Revision.objects.pending().select_related("listing").order_by("created_at")[:50],
            "reports": ErrorReport.objects.open().select_related("listing").order_by("created_at")[:50],
        }
        return TemplateResponse(request, "moderation/admin/queue.html", context)

    def review_view(self, request, kind, pk):
        self._check(request, kind)
        context = {**self.admin_site.each_context(request), "kind": kind, "reason_form": ReasonForm()}
        if kind == "listing":
            listing = get_object_or_404(Listing.objects.select_related("commune"), pk=pk)
            values = serialize_listing(listing)
            pending_listing = listing.status == Listing.Status.PENDING
            context.update(
                obj=listing,
                listing=listing,
                seen=listing_version(listing),
                actions=listing_actions(listing),
                pending=pending_listing,
                rows=review.listing_rows(listing),
                photos=listing.photos.all(),
                point=(values["latitude"], values["longitude"]),
                duplicates=review.duplicate_hints(values, listing.pk),
                title=(_("New listing: %(name)s") if pending_listing else _("Listing: %(name)s"))
                % {"name": listing.name},
            )
        elif kind == "revision":
            revision = get_object_or_404(Revision.objects.select_related("listing__commune"), pk=pk)
            context.update(
                obj=revision,
                listing=revision.listing,
                pending=revision.status == Revision.Status.PENDING,
                rows=review.revision_rows(revision),
                photos=revision.photos.all(),
                live_photos=revision.listing.photos.all(),
                point=(revision.data.get("latitude"), revision.data.get("longitude")),
                duplicates=review.duplicate_hints(revision.data, revision.listing_id),
                title=_("Edit of %(name)s") % {"name": revision.listing.name},
            )
        else:
            report = get_object_or_404(ErrorReport.objects.select_related("listing"), pk=pk)
            context.update(
                obj=report,
                listing=report.listing,
                pending=report.status == ErrorReport.Status.OPEN,
                report=report,
                title=_("Report on %(name)s") % {"name": report.listing.name},
            )
        context["decisions"] = Decision.objects.filter(
            content_type__model={"listing": "listing", "revision": "revision", "report": "errorreport"}[kind],
            object_id=pk,
        )
        return TemplateResponse(request, "moderation/admin/review.html", context)

    def decide_view(self, request, kind, pk):
        self._check(request, kind)
        allowed = {
            "listing": set(LISTING_ACTIONS),
            "revision": {Decision.Action.APPROVE, Decision.Action.REJECT, Decision.Action.REQUEST_CHANGES},
            "report": {Decision.Action.FIX, Decision.Action.DISMISS},
        }[kind]
        action = request.POST.get("action")
        review_url = reverse("admin:moderation_review", args=[kind, pk])
        if action not in allowed:
            messages.error(request, _("Unknown action."))
            return HttpResponseRedirect(review_url)
        reason = ""
        if action in REASON_REQUIRED:
            form = ReasonForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Write a message for the producer: it is sent with your decision."))
                return HttpResponseRedirect(review_url)
            reason = form.cleaned_data["reason"]
        else:
            reason = request.POST.get("reason", "").strip()
        try:
            decide(kind, pk, action, request.user, reason, seen=request.POST.get("seen") or None)
        except ChangedSinceReview:
            messages.warning(request, CHANGED_SINCE_REVIEW)
            return HttpResponseRedirect(review_url)
        except AlreadyDecided:
            messages.warning(request, ALREADY_DECIDED)
            return HttpResponseRedirect(review_url)
        messages.success(request, _("Decision recorded: %(action)s.") % {"action": Decision.Action(action).label})
        return HttpResponseRedirect(reverse("admin:moderation_queue"))


@admin.register(ErrorReport)
class ErrorReportAdmin(ReviewLinkMixin, admin.ModelAdmin):
    kind = "report"
    list_display = ["listing", "kind", "status", "created_at", "review_link"]
    list_filter = ["status", "kind"]
    list_select_related = ["listing"]
    ordering = ["created_at"]
    readonly_fields = ["listing", "kind", "message", "email", "status", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:moderation_review", args=["report", object_id]))


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """The audit log: readable by volunteers, never added, changed or deleted, even by a superuser."""

    list_display = ["created_at", "moderator_name", "action", "object_repr", "reason"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "moderator_name", "reason"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(Listing)


@admin.register(Listing)
class ModeratedListingAdmin(ListingAdmin):
    """producers' Listing admin, where status is read-only, with the way to the decisions that change it."""

    change_form_template = "moderation/admin/listing_change_form.html"

    def log_imported_publications(self, request, listings):
        reason = _("Published by a CSV import.")
        content_type = ContentType.objects.get_for_model(Listing)
        Decision.objects.bulk_create(
            Decision(
                moderator=request.user,
                moderator_name=request.user.get_username(),
                content_type=content_type,
                object_id=listing.pk,
                object_repr=str(listing)[:200],
                action=Decision.Action.APPROVE,
                reason=reason,
            )
            for listing in listings
        )
