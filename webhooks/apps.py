from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from orders import signals as order_signals

        from . import receivers
        from .schedules import on_post_migrate

        order_signals.order_placed.connect(receivers.on_order_placed, dispatch_uid="webhooks.on_order_placed")
        order_signals.order_status_changed.connect(
            receivers.on_order_status_changed, dispatch_uid="webhooks.on_order_status_changed"
        )
        order_signals.payment_received.connect(
            receivers.on_payment_received, dispatch_uid="webhooks.on_payment_received"
        )
        order_signals.custom_status_changed.connect(
            receivers.on_custom_status_changed, dispatch_uid="webhooks.on_custom_status_changed"
        )
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="webhooks.register_schedules")
