from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckoutsConfig(AppConfig):
    name = "checkouts"
    verbose_name = _("Abandoned checkouts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from orders import signals as order_signals

        from outbox.schedules import register_after_migrate

        from . import receivers
        from .schedules import register_schedules

        order_signals.order_placed.connect(receivers.on_order_placed, dispatch_uid="checkouts.on_order_placed")
        register_after_migrate(self, register_schedules)
