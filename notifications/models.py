from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from orders.models import Language


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


class NotificationQuerySet(models.QuerySet):
    def for_log(self):
        return self.select_related("order")


class Notification(models.Model):
    """One message to one recipient on one channel: the outbox row and the log line."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    class DeliveryStatus(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Marked as spam")
        REJECTED = "rejected", _("Rejected by the provider")

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

    fallback_for = models.CharField(
        _("fallback for"), max_length=10, choices=Channel.choices, blank=True,
        help_text=_("Sent on this channel because the named channel could not reach the customer."),
    )
    language = models.CharField(_("language"), max_length=5, blank=True)
    subject = models.CharField(_("subject or title"), max_length=300, blank=True)
    body = models.TextField(_("message"), blank=True)
    # When the next delivery attempt is due; the sweep re-enqueues rows overdue by the grace period.
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # A worker that claimed the row holds it until then (a second run of the task sends nothing).
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    delivery_status = models.CharField(
        _("delivery report"), max_length=12, choices=DeliveryStatus.choices, blank=True,
        help_text=_("What the email provider reported after sending."),
    )
    delivery_status_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notification log")
        constraints = [
            models.UniqueConstraint(fields=["order", "milestone", "channel"], name="notification_once_per_channel"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx"),
            models.Index(fields=["channel", "provider_message_id"], name="notification_provider_id_idx"),
        ]
        permissions = [("resend_notification", _("Can resend failed notifications"))]

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

    def as_subscription_info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class MilestoneSetting(models.Model):
    """The purchase experience switches of one milestone: which channels tell the customer."""

    milestone = models.CharField(_("milestone"), max_length=30, choices=Milestone.choices, unique=True)
    email = models.BooleanField(_("email"), default=False)
    sms = models.BooleanField(_("SMS"), default=False)
    push = models.BooleanField(_("web push"), default=False)
    fallback_channel = models.CharField(
        _("fallback channel"), max_length=10, choices=Channel.choices, blank=True,
        help_text=_("Used when an enabled channel cannot reach the customer (no address, no SMS credits, "
                    "a refused message)."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("purchase experience")
        verbose_name_plural = _("purchase experience")

    def __str__(self):
        return Milestone(self.milestone).label

    def is_enabled(self, channel: str) -> bool:
        return bool(getattr(self, channel))

    @property
    def enabled_channels(self) -> list[str]:
        return [channel for channel in Channel.values if self.is_enabled(channel)]


class PurchaseExperienceChange(models.Model):
    """Who changed a purchase experience switch, and when. Append-only."""

    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("changed by"),
    )
    setting = models.CharField(_("setting"), max_length=200)
    old_value = models.CharField(_("before"), max_length=200, blank=True)
    new_value = models.CharField(_("after"), max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("purchase experience change")
        verbose_name_plural = _("purchase experience changes")

    def __str__(self):
        return f"{self.setting}: {self.old_value} → {self.new_value}"


class MessageTemplate(models.Model):
    """The words of one milestone on one channel in one language, editable by the staff.

    Rendered with Django's template language against a small context (see rendering.py).
    """

    milestone = models.CharField(_("milestone"), max_length=30, choices=Milestone.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    subject = models.CharField(
        _("subject or title"), max_length=300, blank=True,
        help_text=_("Email subject or push notification title. Not used by SMS."),
    )
    body = models.TextField(_("message"), help_text=_("Email text, SMS text or push notification body."))
    html_body = models.TextField(
        _("HTML message"), blank=True, help_text=_("Optional HTML version of the email. Not used by SMS or push."),
    )
    url = models.CharField(
        _("link"), max_length=500, blank=True,
        help_text=_("Web push only: the page opened when the customer clicks the notification."),
    )
    gsm7_friendly = models.BooleanField(
        _("GSM-7 friendly"), default=False,
        help_text=_("SMS only: replace accents that GSM-7 lacks (á → a, ç → c) so the message costs fewer "
                    "segments."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        ordering = ["milestone", "channel", "language"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(fields=["milestone", "channel", "language"], name="message_template_once"),
        ]

    def __str__(self):
        return f"{Milestone(self.milestone).label} · {Channel(self.channel).label} · {self.language}"

    def clean(self):
        from .rendering import validate_template

        validate_template(self)


class DailyNotificationCount(models.Model):
    """How many notifications a day had per milestone, channel and status; kept after the log is purged."""

    day = models.DateField(_("day"))
    milestone = models.CharField(_("milestone"), max_length=30, choices=Milestone.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=Notification.Status.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        ordering = ["-day", "milestone", "channel", "status"]
        verbose_name = _("daily notification count")
        verbose_name_plural = _("daily notification counts")
        constraints = [
            models.UniqueConstraint(fields=["day", "milestone", "channel", "status"], name="daily_count_once"),
        ]

    def __str__(self):
        return f"{self.day} {self.milestone} {self.channel} {self.status}: {self.count}"


class EmailTrackingEvent(models.Model):
    """An email provider's tracking event already applied (providers may post the same event twice)."""

    event_key = models.CharField(max_length=255, unique=True)
    event_type = models.CharField(max_length=30)
    message_id = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("email tracking event")
        verbose_name_plural = _("email tracking events")

    def __str__(self):
        return f"{self.event_type} {self.message_id}"


class NewOrderNoticeState(models.Model):
    """Up to when a staff member has seen the new-order notices on the admin index."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    seen_until = models.DateTimeField(_("seen until"))

    class Meta:
        verbose_name = _("new order notice state")
        verbose_name_plural = _("new order notice states")

    def __str__(self):
        return f"{self.user_id} {self.seen_until}"
