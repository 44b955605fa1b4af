"""Volunteers' teams, set in the User admin by a superuser or a coordinator ("Coordinateurs" group).

A coordinator may open the volunteers' accounts to set their departments and digest, and nothing else: every
field of the account is read-only for them, so the group grants no way to raise anyone's rights.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied

from ..models import ModeratorProfile

MODERATORS_GROUP = "Modérateurs"
ACCOUNT_FIELDS = ("username", "first_name", "last_name", "email", "is_active", "last_login")


def is_coordinator(user):
    return user.is_active and user.is_staff and user.has_perm("moderation.change_moderatorprofile")


class ModeratorProfileInline(admin.StackedInline):
    model = ModeratorProfile
    can_delete = False
    filter_horizontal = ["departments"]
    fields = ["departments", "daily_digest"]
    # One profile per volunteer: the section is titled in the singular.
    verbose_name_plural = ModeratorProfile._meta.verbose_name


class VolunteerUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, ModeratorProfileInline]

    def _coordinating(self, request):
        return not request.user.has_perm("auth.change_user") and is_coordinator(request.user)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or is_coordinator(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or is_coordinator(request.user)

    def has_change_permission(self, request, obj=None):
        # The form shows the account read-only to a coordinator (below); saving it only writes the inline.
        return super().has_change_permission(request, obj) or is_coordinator(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self._coordinating(request):
            # A superuser's account is out of a coordinator's reach even when they also moderate.
            queryset = queryset.filter(is_staff=True, is_superuser=False, groups__name=MODERATORS_GROUP).distinct()
        return queryset

    def user_change_password(self, request, id, form_url=""):
        # Django only asks has_change_permission() here, which a coordinator has for the teams' sake: setting a
        # password would let them take over the account.
        if self._coordinating(request):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def get_fieldsets(self, request, obj=None):
        if obj is not None and self._coordinating(request):
            return [(None, {"fields": ACCOUNT_FIELDS})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if self._coordinating(request):
            return ACCOUNT_FIELDS
        return super().get_readonly_fields(request, obj)

    def get_list_filter(self, request):
        return () if self._coordinating(request) else super().get_list_filter(request)


User = get_user_model()
admin.site.unregister(User)
admin.site.register(User, VolunteerUserAdmin)
