from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProducersConfig(AppConfig):
    name = "producers"
    verbose_name = _("Directory")

    def ready(self):
        from django.urls import register_converter

        from . import converters, results_link
        from . import signals as page_cache_signals  # noqa: F401 - connects the receivers
        from .search import signals  # noqa: F401 - connects the receivers

        # Registered once here: URL modules may be imported again (tests reload them).
        register_converter(converters.DepartmentCodeConverter, "dept")
        register_converter(converters.InseeCodeConverter, "insee")
        # Before any page comes from the cache: a fresh process may serve a cached listing page first.
        results_link.register()
