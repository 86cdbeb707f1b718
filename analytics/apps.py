from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from outbox.schedules import register_after_migrate

        from .schedules import register_schedules

        register_after_migrate(self, register_schedules)
