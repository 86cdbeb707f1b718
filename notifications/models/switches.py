"""The purchase experience: each milestone's channel switches and fallback, and who changed them."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Channel, Milestone
from .templates import KeptByRendering


class MilestoneSetting(KeptByRendering, models.Model):
    """The purchase experience switches of one milestone: which channels tell the customer."""

    milestone = models.CharField(_("milestone"), max_length=30, choices=Milestone.choices, unique=True)
    email = models.BooleanField(_("email"), default=False)
    sms = models.BooleanField(_("SMS"), default=False)
    push = models.BooleanField(_("web push"), default=False)
    whatsapp = models.BooleanField(_("WhatsApp"), default=False)
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
