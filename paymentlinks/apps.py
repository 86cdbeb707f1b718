from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentLinksConfig(AppConfig):
    name = "paymentlinks"
    verbose_name = _("Payment links")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from notifications.app_kinds import register_kind
        from orders import page_sections, payment_links
        from orders import signals as order_signals
        from outbox.schedules import register_after_migrate

        from . import checks, provider, receivers  # noqa: F401 (checks registers itself)
        from .admin_sections import order_section
        from .messages import PAYMENT_LINK_EMAIL
        from .outbox import register_schedules

        order_signals.order_placed.connect(receivers.on_order_placed, dispatch_uid="paymentlinks.on_order_placed")
        payment_links.provide(for_order=provider.for_order, prefetch=provider.prefetch)
        page_sections.provide("payment_link", order_section)
        register_kind(PAYMENT_LINK_EMAIL)
        register_after_migrate(self, register_schedules)
