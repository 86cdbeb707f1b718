"""Up to when each staff member has seen the new-order notices on the admin index."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
