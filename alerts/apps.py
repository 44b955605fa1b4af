from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Feeds and email alerts")

    def ready(self):
        from localdir import retention

        from . import subscriptions

        # The daily purge (moderation's purge_personal_data) erases what the privacy notice promises, ours included,
        # without moderation knowing this app.
        retention.register(subscriptions.purge)
