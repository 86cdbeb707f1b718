from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self):
        from outbox.schedules import register_after_migrate

        from .api_cache import forget_reference_data
        from .schedules import register_schedules

        register_after_migrate(self, register_schedules)

        # What the API's order detail shows besides the order's own rows (see orders/api_cache.py).
        for model in ("carriers.Carrier", "orders.CustomStatus", settings.AUTH_USER_MODEL, "storefronts.Storefront"):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(forget_reference_data, sender=model, dispatch_uid=f"orders.api_reference_{name}.{model}")
