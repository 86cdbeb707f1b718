from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectorsConfig(AppConfig):
    name = "connectors"
    verbose_name = _("Connected stores")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from notifications.app_kinds import register_kind
        from orders import signals as order_signals
        from outbox.schedules import register_after_migrate

        from . import checks, permissions, receivers  # noqa: F401 (checks registers itself)
        from .messages import DATA_REQUEST_REPORT
        from .schedules import register_schedules

        order_signals.order_status_changed.connect(
            receivers.on_order_status_changed, dispatch_uid="connectors.on_order_status_changed"
        )
        register_kind(DATA_REQUEST_REPORT)
        register_after_migrate(self, register_schedules)
        post_migrate.connect(permissions.grant, sender=self, dispatch_uid="connectors.grant_staff_permissions")
