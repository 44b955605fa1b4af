from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MagazineConfig(AppConfig):
    name = "magazine"
    verbose_name = _("The Mag")

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
