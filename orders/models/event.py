"""The order's timeline: one append-only row per thing that happened to it."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..display import person_label
from .choices import Status
from .custom_status import CustomStatus
from .order import Order

class OrderEvent(models.Model):
    """One row of an order's timeline. Append-only: never edited, never purged."""

    class Kind(models.TextChoices):
        PLACED = "placed", _("Order received")
        STATUS_CHANGED = "status_changed", _("Status changed")
        PAYMENT_REGISTERED = "payment_registered", _("Payment registered")
        REFUND_REGISTERED = "refund_registered", _("Refund registered")
        NOTE = "note", _("Note")
        CUSTOM_STATUS = "custom_status", _("Custom status")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order"))
    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    # For CUSTOM_STATUS events: the status set (data = {"type", "from": code or None, "to": code}).
    custom_status = models.ForeignKey(
        CustomStatus, on_delete=models.PROTECT, null=True, blank=True, related_name="events",
        verbose_name=_("custom status"),
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # When orders entered a core status (the analytics report's time between two statuses).
            models.Index(
                fields=["to_status", "created_at", "order"], condition=models.Q(kind__in=["placed", "status_changed"]),
                name="orderevent_entered_status_idx",
            ),
            # The same rows by order, then for the custom statuses: the time between two statuses over
            # long ranges reads both sides sorted by order (a merge join, no hash; analytics/report.py).
            models.Index(
                fields=["to_status", "order", "created_at"], condition=models.Q(kind__in=["placed", "status_changed"]),
                name="orderevent_entered_order_idx",
            ),
            models.Index(
                fields=["custom_status", "order", "created_at"], condition=models.Q(kind="custom_status"),
                name="orderevent_custom_order_idx",
            ),
        ]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")

    def __str__(self):
        return f"{self.order_id} {self.kind} {self.to_status}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Order events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Order events are append-only.")

    @property
    def actor_label(self) -> str:
        return person_label(self.actor)
