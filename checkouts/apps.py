from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CheckoutsConfig(AppConfig):
    name = "checkouts"
    verbose_name = _("Abandoned checkouts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from orders import signals as order_signals

        from . import receivers
        from .schedules import on_post_migrate

        order_signals.order_placed.connect(receivers.on_order_placed, dispatch_uid="checkouts.on_order_placed")
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="checkouts.register_schedules")
