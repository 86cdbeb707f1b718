from django.db import models
from django.utils.translation import gettext_lazy as _


class Milestone(models.TextChoices):
    ORDER_PLACED = "order_placed", _("Order placed")
    PAYMENT_APPROVED = "payment_approved", _("Payment approved")
    PREPARING = "preparing", _("Preparing")
    SHIPPED = "shipped", _("Shipped")
    READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")
    FINALIZED = "finalized", _("Finalized")
    CANCELLED = "cancelled", _("Cancelled")
    NEW_ORDER = "new_order", _("New order (staff)")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    PUSH = "push", _("Web push")


class Notification(models.Model):
    """One message to one recipient on one channel: the outbox row and the log line."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="notifications", verbose_name=_("order")
    )
    milestone = models.CharField(_("milestone"), max_length=30, choices=Milestone.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    reason = models.TextField(_("reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    provider_message_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notification log")
        constraints = [
            models.UniqueConstraint(fields=["order", "milestone", "channel"], name="notification_once_per_channel"),
        ]

    def __str__(self):
        return f"{self.order_id} {self.milestone} {self.channel} {self.status}"


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
