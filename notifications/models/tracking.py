"""The email provider's tracking events already applied (a provider may post one twice)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
