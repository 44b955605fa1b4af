from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from . import attendance_imports, attendances, hours_repairs, imports
from .forms.closures import ClosureForm
from .forms.hours import OpeningHoursField
from .forms.seen import SeenVersionModelForm
from .listing_data import public_changes
from .models import (
    Attendance,
    Category,
    Closure,
    Commune,
    DeliveryMode,
    Department,
    Listing,
    ListingDelivery,
    ListingPhoto,
    LocalCurrency,
    Region,
)

# Inlines whose rows the public sees on the listing: a change there is news for the feeds and alerts (closures are
# not: they say nothing new about the listing, and producers enter them without review).
PUBLIC_INLINE_MODELS = (ListingDelivery, ListingPhoto, Attendance)


class DepartmentFilter(admin.RelatedFieldListFilter):
    """Listings (or stands, by their market's) by department, titled in the site's language: the listing's department,
    set from its commune, has no verbose name of its own (the admin said "department" in French)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("department")


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    """The "attends" links (a producer's stand at a market). Producers and organisers propose them through their
    private links, moderated; a volunteer may also enter one here after checking it (a phone call, say)."""

    list_display = ["producer", "market", "schedule", "created_at"]
    list_select_related = ["producer", "market"]
    list_filter = [("market__department", DepartmentFilter)]
    search_fields = ["producer__name", "market__name", "market__commune__name"]
    autocomplete_fields = ["producer", "market"]
    show_full_result_count = False
    change_list_template = "producers/admin/attendance_change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_csv)
        return [path("import/", view, name="producers_attendance_import"), *super().get_urls()]

    @method_decorator(require_http_methods(["GET", "POST"]))
    def import_csv(self, request):
        """As the listings' import: upload, read the dry-run report, confirm (the file waits in the session)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = import_context(self, request, _("Import stands"), "admin:producers_attendance_import")
        if request.method == "POST" and request.POST.get("step") == "confirm":
            text = request.session.pop(ATTENDANCE_SESSION_KEY, None)
            if text is None:
                messages.error(request, _("The file was not found any more: upload it again."))
                return redirect("admin:producers_attendance_import")
            saved = attendance_imports.read(text).save()
            messages.success(
                request,
                ngettext("%(count)s stand imported.", "%(count)s stands imported.", saved) % {"count": saved},
            )
            return redirect("admin:producers_attendance_changelist")
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        form.fields["file"].help_text = _("Columns producer, market and schedule; 5 MB at most.")
        if request.method == "POST" and form.is_valid():
            text = imports.decode(form.cleaned_data["file"].read())
            report = attendance_imports.read(text)
            if not report.file_errors:
                request.session[ATTENDANCE_SESSION_KEY] = text
            context.update(report=report, title=_("Check the import"))
            return TemplateResponse(request, "producers/admin/attendance_import_report.html", context)
        context["form"] = form
        return TemplateResponse(request, "producers/admin/attendance_import.html", context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Moving a link to another producer changes both producers' "on the markets" mode.
        before = form.initial.get("producer")
        attendances.sync_delivery_modes(
            [obj.producer_id], lost=[before] if before and before != obj.producer_id else []
        )

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        attendances.sync_delivery_modes([], lost=[obj.producer_id])

    def delete_queryset(self, request, queryset):
        producer_ids = list(queryset.values_list("producer_id", flat=True))
        super().delete_queryset(request, queryset)
        attendances.sync_delivery_modes([], lost=producer_ids)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_select_related = ["region"]
    search_fields = ["name", "code"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee_code", "postal_codes", "department", "population"]
    list_select_related = ["department"]
    list_filter = ["department"]
    search_fields = ["name", "insee_code", "postal_codes", "search_name"]
    show_full_result_count = False


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "parent", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(DeliveryMode)
class DeliveryModeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "position"]
    list_editable = ["position"]


@admin.register(LocalCurrency)
class LocalCurrencyAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "website"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["departments"]
    search_fields = ["name", "area"]


class ListingDeliveryInline(admin.TabularInline):
    model = ListingDelivery
    extra = 0


class ListingPhotoInline(admin.TabularInline):
    model = ListingPhoto
    extra = 0


class ClosureInline(admin.TabularInline):
    """Temporary closures a volunteer enters (after a phone call, say); over ones are not shown, the daily
    `confirm_listings` deletes them."""

    model = Closure
    form = ClosureForm
    extra = 0
    fields = ["starts_on", "ends_on", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).not_over()


class MarketsAttendedInline(admin.TabularInline):
    """A producer's stands at markets, as volunteers check them (a phone call); producers propose theirs through
    their private link, moderated."""

    model = Attendance
    fk_name = "producer"
    extra = 0
    autocomplete_fields = ["market"]
    fields = ["market", "schedule"]
    verbose_name = _("market where they sell")
    verbose_name_plural = _("markets where they sell")


class StandInline(MarketsAttendedInline):
    """A market's stands."""

    fk_name = "market"
    autocomplete_fields = ["producer"]
    fields = ["producer", "schedule"]
    verbose_name = _("producer at the market")
    verbose_name_plural = _("producers at the market")


class ListingAdminForm(SeenVersionModelForm):
    # Volunteers edit hours day by day, like producers do; the OSM syntax stays behind the scenes.
    opening_hours = OpeningHoursField(label=_("opening hours"), required=False)

    class Meta:
        model = Listing
        fields = "__all__"


class ListingDepartmentColumn:
    """The department column of the listings' admins, titled in the site's language."""

    @admin.display(description=_("department"), ordering="department")
    def department_name(self, listing):
        return listing.department


class SplitDaysFilter(admin.SimpleListFilter):
    """Hours stored before "Mo, We 10:00-12:00" was refused (producers.hours_repairs)."""

    title = _("opening hours")
    parameter_name = "hours"

    def lookups(self, request, model_admin):
        return [("split-days", _("Days split by a space (to correct)"))]

    def queryset(self, request, queryset):
        if self.value() == "split-days":
            return queryset.filter(pk__in=hours_repairs.ids(queryset))
        return queryset


@admin.action(permissions=["change"], description=_("Join the days split by a space, as suggested"))
def join_split_days(modeladmin, request, queryset):
    repaired, left = 0, []
    for found in hours_repairs.find(queryset):
        done = hours_repairs.repair(found.listing)
        if done:
            # The history keeps what was stored: the repair does not mean the same, a volunteer may want it back.
            modeladmin.log_change(
                request,
                found.listing,
                _("Opening hours: “%(before)s” replaced by “%(after)s” (days split by a space joined).")
                % dict(zip(("before", "after"), done, strict=True)),
            )
            repaired += 1
        else:
            left.append(found.listing.name)
    if repaired:
        messages.success(
            request,
            ngettext(
                "The hours of %(count)s listing were corrected.",
                "The hours of %(count)s listings were corrected.",
                repaired,
            )
            % {"count": repaired},
        )
    if left:
        messages.warning(
            request,
            _("No suggestion for %(names)s: open each listing and give the hours of the days read as open all day.")
            % {"names": ", ".join(left)},
        )
    if not repaired and not left:
        messages.info(request, _("None of these listings has days split by a space."))


def split_days_warning(listing):
    """The warning the listing's admin page shows above the form, or None."""
    found = hours_repairs.split_days(listing)
    if found is None:
        return None
    message = _("The opening hours “%(hours)s” read “%(first)s” as open all day (days split by a space).") % {
        "hours": listing.opening_hours,
        "first": found.first,
    }
    if found.suggestion:
        return " ".join([message, _("Probably meant: “%(suggestion)s”.") % {"suggestion": found.suggestion}])
    return " ".join([message, _("Give the hours of those days.")])


@admin.register(Listing)
class ListingAdmin(ListingDepartmentColumn, admin.ModelAdmin):
    form = ListingAdminForm
    list_display = ["name", "kind", "commune", "department_name", "status", "updated_at"]
    list_filter = ["status", "kind", ("department", DepartmentFilter), "categories", SplitDaysFilter]
    actions = [join_split_days]
    list_select_related = ["commune", "department"]
    search_fields = ["name", "email", "commune__name"]
    autocomplete_fields = ["commune"]
    filter_horizontal = ["categories", "currencies"]
    # Publishing, rejecting and withdrawing are decisions made (and logged) by moderation, never a field edit.
    readonly_fields = ["status", "created_at", "updated_at", "published_at", "confirmed_at"]
    inlines = [ListingDeliveryInline, ListingPhotoInline, ClosureInline]
    show_full_result_count = False
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "kind",
                    "market_type",
                    "status",
                    "short_description",
                    "description",
                    "categories",
                    # Hidden: what the page was built from (producers/forms/seen.py).
                    "seen",
                ]
            },
        ),
        (_("Address"), {"fields": ["street_address", "commune", "postal_code", "latitude", "longitude"]}),
        (
            _("Contact"),
            {"fields": ["phone", "email", "email_public", "website", "facebook_url", "instagram_url", "other_links"]},
        ),
        (_("Opening hours and sales"), {"fields": ["opening_hours", "currencies"]}),
        (_("History"), {"fields": ["created_at", "updated_at", "published_at", "confirmed_at", "external_id"]}),
    ]
    prepopulated_fields = {"slug": ["name"]}
    change_list_template = "producers/admin/listing_change_list.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            listing = self.get_object(request, object_id)
            warning = listing and split_days_warning(listing)
            if warning:
                messages.warning(request, warning)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "external_id"]

    def get_inlines(self, request, obj):
        stands = StandInline if obj is not None and obj.is_market else MarketsAttendedInline
        return [*super().get_inlines(request, obj), stands]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        listing = form.instance
        if change and listing.status == Listing.Status.PUBLISHED and self._changes_public(form, formsets):
            # What the public sees changed: the feeds and alerts of its area show it as updated, as after an
            # approved edit (saved again on its own, which drops the cached pages like any save).
            listing.changed_at = timezone.now()
            listing.save(update_fields=["changed_at"])

    @staticmethod
    def _changes_public(form, formsets):
        return bool(public_changes(form.changed_data, form.instance.email_public)) or any(
            formset.has_changed() for formset in formsets if formset.model in PUBLIC_INLINE_MODELS
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Attendance:
            # The "on the markets" mode follows the stands, as on every other way in.
            kept = [link.producer_id for link in formset.new_objects]
            kept += [link.producer_id for link, _changed in formset.changed_objects]
            lost = [link.producer_id for link in formset.deleted_objects]
            # A stand moved to another producer: the first one lost it.
            lost += [f.initial["producer"] for f in formset.forms if "producer" in f.changed_data and f.initial]
            attendances.sync_delivery_modes(kept, lost=lost)

    def get_search_results(self, request, queryset, search_term):
        # Volunteers search like shoppers do (descriptions, plurals, accents), plus emails and towns.
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            matching = queryset.search(search_term).values("pk")
            found = queryset.filter(Q(pk__in=found.values("pk")) | Q(pk__in=matching))
        return found, may_have_duplicates

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_csv)
        return [path("import/", view, name="producers_listing_import"), *super().get_urls()]

    def log_imported_publications(self, request, listings):
        """Called with the listings an import published, in the import's transaction: moderation logs them."""

    @method_decorator(require_http_methods(["GET", "POST"]))
    def import_csv(self, request):
        """Upload a CSV, read the dry-run report, then confirm: the file waits in the session in between."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = import_context(self, request, _("Import a CSV file"), "admin:producers_listing_import")
        if request.method == "POST" and request.POST.get("step") == "confirm":
            text = request.session.pop(IMPORT_SESSION_KEY, None)
            if text is None:
                messages.error(request, _("The file was not found any more: upload it again."))
                return redirect("admin:producers_listing_import")
            report = imports.read(text)
            with transaction.atomic():
                saved = report.save(publish=request.POST.get("publish") == "on")
                self.log_imported_publications(request, report.published)
            messages.success(
                request,
                ngettext("%(count)s listing imported.", "%(count)s listings imported.", saved) % {"count": saved},
            )
            return redirect("admin:producers_listing_changelist")
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            text = imports.decode(form.cleaned_data["file"].read())
            report = imports.read(text)
            if not report.file_errors:
                request.session[IMPORT_SESSION_KEY] = text
            context.update(report=report, title=_("Check the import"))
            return TemplateResponse(request, "producers/admin/import_report.html", context)
        context["form"] = form
        return TemplateResponse(request, "producers/admin/import.html", context)


def import_context(model_admin, request, title, url_name):
    """What the pages of a CSV import (producers/admin/import_base.html) need: the upload page's name and address."""
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "import_title": title,
        "import_url": reverse(url_name),
    }


IMPORT_SESSION_KEY = "producers_listing_import"
ATTENDANCE_SESSION_KEY = "producers_attendance_import"


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("Columns of the open data export; 5 MB at most."))

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > imports.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB: split it."))
        return file
