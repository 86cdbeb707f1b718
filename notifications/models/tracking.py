"""The providers' delivery reports already received (a provider may post one twice, or before the
message's id is written on its row)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReceiptEvent(models.Model):
    """A provider's delivery report (receipt), kept once per `event_key`: a second post of the same
    report is recognised and ignored. A report for a message id no row has yet (the id is written
    just after the send) waits here, not applied, until the row has it (services/receipts.py).
    Purged with the log."""

    event_key = models.CharField(max_length=255, unique=True)
    channel = models.CharField(max_length=10, blank=True)
    event_type = models.CharField(max_length=30)  # the receipt's state: sent, delivered, read, undelivered, failed
    message_id = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # What a report waiting for its row needs to be applied later.
    reported_at = models.DateTimeField(null=True, blank=True)
    reason_code = models.CharField(max_length=30, blank=True)
    detail = models.TextField(blank=True)
    provider_charges = models.BooleanField(default=False)
    applied = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("delivery report")
        verbose_name_plural = _("delivery reports")
        indexes = [
            models.Index(fields=["channel", "message_id"], condition=models.Q(applied=False),
                         name="receipt_waiting_idx"),
        ]

    def __str__(self):
        return f"{self.channel} {self.event_type} {self.message_id}"
