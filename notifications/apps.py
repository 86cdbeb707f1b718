from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from anymail.signals import tracking

        from checkouts import signals as checkout_signals
        from orders import page_sections
        from orders import signals as order_signals
        from outbox.schedules import register_after_migrate

        from . import checks, receivers  # noqa: F401 (checks registers itself)
        from .admin_sections import order_section
        from .models import NotificationRule
        from .schedules import register_schedules

        order_signals.order_placed.connect(
            receivers.on_order_placed, dispatch_uid="notifications.on_order_placed"
        )
        order_signals.order_status_changed.connect(
            receivers.on_order_status_changed, dispatch_uid="notifications.on_order_status_changed"
        )
        order_signals.payment_received.connect(
            receivers.on_payment_received, dispatch_uid="notifications.on_payment_received"
        )
        order_signals.custom_status_changed.connect(
            receivers.on_custom_status_changed, dispatch_uid="notifications.on_custom_status_changed"
        )
        order_signals.refund_registered.connect(
            receivers.on_refund_registered, dispatch_uid="notifications.on_refund_registered"
        )
        order_signals.payment_reminder_due.connect(
            receivers.on_payment_reminder_due, dispatch_uid="notifications.on_payment_reminder_due"
        )
        checkout_signals.checkout_abandoned.connect(
            receivers.on_checkout_abandoned, dispatch_uid="notifications.on_checkout_abandoned"
        )
        tracking.connect(receivers.on_email_tracking, dispatch_uid="notifications.on_email_tracking")
        page_sections.provide("notifications", order_section)
        register_after_migrate(self, register_schedules)
        post_save.connect(receivers.forget_rules, sender=NotificationRule, dispatch_uid="notifications.rule_saved")
        post_delete.connect(receivers.forget_rules, sender=NotificationRule, dispatch_uid="notifications.rule_deleted")
        m2m_changed.connect(
            receivers.forget_rules, sender=NotificationRule.carriers.through,
            dispatch_uid="notifications.rule_carriers_changed",
        )
