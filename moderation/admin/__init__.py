"""The volunteers' side, in the Django admin: a queue, a review page per item, decisions written to the log.

Decisions change state only through POST views (views.py) or admin actions (both CSRF-protected), and always through
decide_listing() / Revision.decide() / ErrorReport.decide(), which lock the row so the first volunteer wins.
"""

import re

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from producers.admin import DepartmentFilter, ListingAdmin, ListingDepartmentColumn
from producers.models import Department, Listing

from .. import freshness, review, teams
from ..models import AlreadyDecided, Decision, ErrorReport, PendingListing, Revision, StaleListing
from . import users  # noqa: F401  (the User admin, with volunteers' teams)
from .decisions import bulk_approve, decide
from .suggestions import MarketSuggestionViewsMixin
from .views import ReviewViewsMixin

__all__ = ["decide", "queue_counts"]


def queue_counts():
    return {
        "listings": Listing.objects.filter(status=Listing.Status.PENDING).count(),
        "revisions": Revision.objects.pending().count(),
        "reports": ErrorReport.objects.open().count(),
        "stale": freshness.stale_listings().count(),
    }


class ReviewLinkMixin:
    """The queues' admins (`kind`: listing, revision or report): each line leads to its review page, where every
    decision is taken; nothing is added or deleted here."""

    @admin.display(description=_("review"))
    def review_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:moderation_review", args=[self.kind, obj.pk]), _("Review")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The admin's URL takes any text as an id; the review page's only digits (a cut or mistyped link).
        if not re.fullmatch(r"[0-9]+", object_id):
            raise Http404
        return HttpResponseRedirect(reverse("admin:moderation_review", args=[self.kind, object_id]))


class NextStepFilter(admin.SimpleListFilter):
    """Items to review, or waiting for the producer's changes (review.NEXT_STEPS)."""

    title = _("next step")
    parameter_name = "next_step"

    def lookups(self, request, model_admin):
        return list(review.NEXT_STEPS.items())

    def queryset(self, request, queryset):
        if self.value() in review.NEXT_STEPS:
            return queryset.filter(next_step=self.value())
        return queryset


class NextStepColumn:
    """The queues' column saying whose move it is: a second volunteer sees that changes were asked of the producer
    and does not review the item again meanwhile. The admin's queryset is annotated with `next_step`."""

    @admin.display(description=_("next step"), ordering="next_step")
    def next_step(self, obj):
        if obj.next_step == review.WAITING_FOR_PRODUCER:
            return format_html('<strong class="waiting-tag">{}</strong>', review.NEXT_STEPS[obj.next_step])
        return review.NEXT_STEPS.get(obj.next_step, "")


@admin.register(PendingListing)
class PendingListingAdmin(ReviewViewsMixin, ReviewLinkMixin, NextStepColumn, ListingDepartmentColumn, admin.ModelAdmin):
    kind = "listing"
    list_display = ["name", "commune", "department_name", "email", "created_at", "next_step", "review_link"]
    list_filter = [NextStepFilter, ("department", DepartmentFilter)]
    list_select_related = ["commune__department", "department"]
    ordering = ["created_at"]
    actions = [bulk_approve("listing")]
    search_fields = ["name", "email"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).filter(status=Listing.Status.PENDING)
        return queryset.annotate(next_step=review.listing_next_step())


@admin.action(description=_("Confirmed by phone: still correct"), permissions=["change"])
def confirm_by_phone(modeladmin, request, queryset):
    """Each listing is confirmed as a logged decision (the producer gets a new link), and public again if it was
    hidden; shoppers' "closed for good" reports on it are dismissed."""
    done = 0
    for pk in queryset.values_list("pk", flat=True):
        try:
            decide("listing", pk, Decision.Action.CONFIRM, request.user, _("Confirmed by phone."))
            done += 1
        except AlreadyDecided:
            pass
    modeladmin.message_user(
        request, ngettext("%(n)s listing confirmed.", "%(n)s listings confirmed.", done) % {"n": done}, messages.SUCCESS
    )


@admin.register(StaleListing)
class StaleListingAdmin(ReviewLinkMixin, ListingDepartmentColumn, admin.ModelAdmin):
    """Listings to check by phone (moderation.freshness.stale_listings): the volunteer's departments first, like the
    queue. Withdrawing one that closed for good is a decision on its review page."""

    kind = "listing"
    list_display = ["name", "commune", "department_name", "phone", "confirmed_at", "why", "review_link"]
    list_filter = [("department", DepartmentFilter)]
    list_select_related = ["commune__department", "department"]
    search_fields = ["name", "email", "phone"]
    actions = [confirm_by_phone]

    def get_queryset(self, request):
        mine = teams.departments_of(request.user)
        return teams.mine_first(freshness.stale_listings(), mine)

    def get_ordering(self, request):
        return ["-in_my_departments", "confirmed_at", "pk"]

    @admin.display(description=_("why"))
    def why(self, obj):
        if obj.reported_closed:
            return _("Reported closed for good")
        if obj.status == Listing.Status.UNCONFIRMED:
            return _("Hidden: not confirmed")
        if obj.email_refused:
            return _("Email address refused: the question did not reach them")
        return _("No email address to ask")

    # The volunteers' rights on the queue of new listings are the rights here: no new permission to hand out.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("moderation.view_pendinglisting")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("moderation.change_pendinglisting")


@admin.register(Revision)
class RevisionAdmin(MarketSuggestionViewsMixin, ReviewViewsMixin, ReviewLinkMixin, NextStepColumn, admin.ModelAdmin):
    kind = "revision"
    list_display = ["listing", "status", "created_at", "next_step", "review_link"]
    list_filter = [NextStepFilter, "status"]
    list_select_related = ["listing"]
    ordering = ["created_at"]
    actions = [bulk_approve("revision")]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(next_step=review.revision_next_step())

    def get_urls(self):
        return [
            path("queue/", self.admin_site.admin_view(self.queue_view), name="moderation_queue"),
            *super().get_urls(),
        ]

    def queue_view(self, request):
        if not request.user.has_perm("moderation.view_revision"):
            raise PermissionDenied
        mine = teams.departments_of(request.user)
        by_department = teams.counts_by_department(first=mine)
        code = request.GET.get("department", "")
        listings = review.pending_listings().select_related("commune", "department")
        revisions = review.pending_revisions().select_related("listing__department")
        reports = ErrorReport.objects.open().select_related("listing__department")
        if code:
            listings = listings.filter(department__code=code)
            revisions = revisions.filter(listing__department__code=code)
            reports = reports.filter(listing__department__code=code)
        listings = teams.mine_first(listings, mine).order_by("-in_my_departments", "updated_at", "pk")
        revisions = teams.mine_first(revisions, mine, "listing__department").order_by(
            "-in_my_departments", "created_at", "pk"
        )
        reports = teams.mine_first(reports, mine, "listing__department").order_by(
            "-in_my_departments", "created_at", "pk"
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Moderation queue"),
            "counts": {"listings": listings.count(), "revisions": revisions.count(), "reports": reports.count()},
            "listings": listings[:50],
            "revisions": revisions[:50],
            "reports": reports[:50],
            "by_department": by_department,
            "selected_department": code,
            "my_departments": Department.objects.filter(pk__in=mine),
        }
        return TemplateResponse(request, "moderation/admin/queue.html", context)


@admin.register(ErrorReport)
class ErrorReportAdmin(ReviewViewsMixin, ReviewLinkMixin, admin.ModelAdmin):
    kind = "report"
    list_display = ["listing", "kind", "status", "created_at", "review_link"]
    list_filter = ["status", "kind"]
    list_select_related = ["listing"]
    ordering = ["created_at"]
    readonly_fields = ["listing", "kind", "message", "email", "status", "created_at"]


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
