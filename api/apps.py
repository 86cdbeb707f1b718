from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Storefront API")

    def ready(self):
        from . import schema  # noqa: F401  (registers the API key scheme and text fields with drf-spectacular)
        from .representations import forget_reference_data
        from .schedules import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="api.register_schedules")
        # What the order detail shows besides the order's own rows (see api/representations.py).
        for model in ("carriers.Carrier", "orders.CustomStatus", settings.AUTH_USER_MODEL, "storefronts.Storefront"):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(forget_reference_data, sender=model, dispatch_uid=f"api.reference_{name}.{model}")
