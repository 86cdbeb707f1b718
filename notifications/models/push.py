"""The browsers that asked to be told about an order by web push."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PushSubscription(models.Model):
    """A browser that asked, on the order's timeline page, to be told about this order."""

    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="push_subscriptions", verbose_name=_("order")
    )
    endpoint = models.URLField(_("endpoint"), max_length=1000)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["order", "endpoint"], name="push_subscription_once_per_browser"),
        ]

    def __str__(self):
        return self.endpoint[:60]

    def as_subscription_info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
