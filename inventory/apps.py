from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = _("Stock")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from notifications.app_kinds import register_kind
        from orders import signals as order_signals

        from . import receivers
        from .messages import LOW_STOCK_EMAIL

        order_signals.order_placed.connect(receivers.on_order_placed, dispatch_uid="inventory.on_order_placed")
        order_signals.order_status_changed.connect(
            receivers.on_order_status_changed, dispatch_uid="inventory.on_order_status_changed"
        )
        register_kind(LOW_STOCK_EMAIL)
