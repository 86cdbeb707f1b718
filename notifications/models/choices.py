"""The notifications' choices: the milestones a customer (or the staff) is told of, the channels,
and the milestone value of a rule's log row."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Milestone(models.TextChoices):
    ORDER_PLACED = "order_placed", _("Order placed")
    PAYMENT_REMINDER = "payment_reminder", _("Payment reminder")
    PAYMENT_APPROVED = "payment_approved", _("Payment approved")
    PREPARING = "preparing", _("Preparing")
    SHIPPED = "shipped", _("Shipped")
    READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")
    FINALIZED = "finalized", _("Finalized")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")
    CHECKOUT_RECOVERY = "checkout_recovery", _("Checkout recovery")
    NEW_ORDER = "new_order", _("New order (staff)")


# A log row written by a notification rule (not a built-in milestone) has this in `milestone`.
RULE = "rule"
LOG_MILESTONE_CHOICES = [*Milestone.choices, (RULE, _("Notification rule"))]


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    PUSH = "push", _("Web push")
    WHATSAPP = "whatsapp", _("WhatsApp")
