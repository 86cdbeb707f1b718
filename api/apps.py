from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Storefront API")

    def ready(self):
        from . import schema  # noqa: F401  (registers the API key scheme and text fields with drf-spectacular)
        from .schedules import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="api.register_schedules")
