from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Storefront API")

    def ready(self):
        from outbox.schedules import register_after_migrate

        from . import schema  # noqa: F401  (registers the API key scheme and text fields with drf-spectacular)
        from .schedules import register_schedules

        register_after_migrate(self, register_schedules)
