from importlib import import_module

from django.apps import AppConfig, apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule


class LocaldirConfig(AppConfig):
    name = "localdir"
    verbose_name = "localdir"

    def ready(self):
        # Registers the language switch's slot (localdir.slots) before any page comes from the cache: a fresh
        # process may serve a cached page before it renders any template.
        import_module("localdir.templatetags.site")


class AdminConfig(SimpleAdminConfig):
    """The admin, discovering every app's admin module except django-leaflet's.

    leaflet.admin imports GeoDjango, which needs the GDAL C library; we store plain
    latitude/longitude and use django-leaflet only for its map template tags, so a newcomer
    needs nothing but Python.
    """

    default = False

    def ready(self):
        super().ready()
        from django.conf import settings
        from django.contrib import admin
        from django.utils.text import format_lazy
        from django.utils.translation import gettext_lazy as _

        # "<SITE_NAME> — espace bénévoles", in the reader's language, instead of "Django administration".
        admin.site.site_header = admin.site.site_title = format_lazy(
            "{} — {}", settings.SITE_NAME, _("volunteers' area")
        )
        for app_config in apps.get_app_configs():
            if app_config.name != "leaflet" and module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
