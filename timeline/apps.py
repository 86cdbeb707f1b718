from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = _("Customer timeline")

    def ready(self):
        from orders import links

        links.provide(links.ORDER_PAGE, lambda token: reverse("timeline:order", args=[token]))
        links.provide(links.TRACKING_REDIRECT, lambda token: reverse("timeline:track", args=[token]))
        links.provide(links.PAYMENT_PAGE, lambda token: reverse("timeline:pay", args=[token]))
