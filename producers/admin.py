from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .forms.hours import OpeningHoursField
from .models import (
    Category,
    Commune,
    DeliveryMode,
    Department,
    Listing,
    ListingDelivery,
    ListingPhoto,
    LocalCurrency,
    Region,
)


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
    list_display = ["name", "slug", "parent", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(DeliveryMode)
class DeliveryModeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]
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


class ListingAdminForm(forms.ModelForm):
    # Volunteers edit hours day by day, like producers do; the OSM syntax stays behind the scenes.
    opening_hours = OpeningHoursField(label=_("opening hours"), required=False)

    class Meta:
        model = Listing
        fields = "__all__"


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    form = ListingAdminForm
    list_display = ["name", "kind", "commune", "department", "status", "updated_at"]
    list_filter = ["status", "kind", "department", "categories"]
    list_select_related = ["commune", "department"]
    search_fields = ["name", "search_text", "email", "commune__name"]
    autocomplete_fields = ["commune"]
    filter_horizontal = ["categories", "currencies"]
    readonly_fields = ["created_at", "updated_at", "published_at"]
    inlines = [ListingDeliveryInline, ListingPhotoInline]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "status", "short_description", "description", "categories"]}),
        (_("Address"), {"fields": ["street_address", "commune", "postal_code", "latitude", "longitude"]}),
        (_("Contact"), {"fields": ["phone", "email", "website", "facebook_url", "instagram_url", "other_links"]}),
        (_("Opening hours and sales"), {"fields": ["opening_hours", "currencies"]}),
        (_("History"), {"fields": ["created_at", "updated_at", "published_at"]}),
    ]
    prepopulated_fields = {"slug": ["name"]}
