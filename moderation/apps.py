from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from producers import hours_repairs as producers_hours

        from . import hours_repairs

        # producers' check of stored hours reads the edits awaiting review through this, never importing moderation.
        producers_hours.add_source("moderation.pending_revisions", hours_repairs.pending_revisions)
