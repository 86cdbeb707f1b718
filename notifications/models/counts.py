"""What stays after the log is purged: the daily counts per milestone, channel and status."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import LOG_MILESTONE_CHOICES, Channel
from .log import Notification


class DailyNotificationCount(models.Model):
    """How many notifications a day had per milestone, channel and status; kept after the log is purged."""

    day = models.DateField(_("day"))
    # Rule messages are counted together under "rule".
    milestone = models.CharField(_("milestone"), max_length=30, choices=LOG_MILESTONE_CHOICES)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=12, choices=Notification.Status.choices)
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
