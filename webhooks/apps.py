from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from notifications.app_kinds import register_kind
        from orders import signals as order_signals
        from outbox.schedules import register_after_migrate

        from . import receivers
        from .messages import ENDPOINT_DISABLED_EMAIL
        from .schedules import register_schedules

        order_signals.order_placed.connect(receivers.on_order_placed, dispatch_uid="webhooks.on_order_placed")
        order_signals.order_status_changed.connect(
            receivers.on_order_status_changed, dispatch_uid="webhooks.on_order_status_changed"
        )
        order_signals.payment_received.connect(
            receivers.on_payment_received, dispatch_uid="webhooks.on_payment_received"
        )
        order_signals.refund_registered.connect(
            receivers.on_refund_registered, dispatch_uid="webhooks.on_refund_registered"
        )
        order_signals.custom_status_changed.connect(
            receivers.on_custom_status_changed, dispatch_uid="webhooks.on_custom_status_changed"
        )
        register_kind(ENDPOINT_DISABLED_EMAIL)
        register_after_migrate(self, register_schedules)
