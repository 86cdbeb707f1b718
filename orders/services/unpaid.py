"""Unpaid orders: the one payment reminder, and the cancellation of those never paid.

A transfer or payment link order still unpaid (and pending) `UNPAID_REMINDER_HOURS` after it was
placed gets one `payment_reminder_due` signal (notifications sends the `payment_reminder`
message). `UNPAID_CANCEL_DAYS` after it was placed, if that is set, the system cancels it through
`cancel`, with a reason written in the order's language (the customer reads it in the
cancellation message and on the timeline page).

Both run from the periodic sweep (orders/schedules.py), on any number of workers at once: a
reminder is claimed with a conditional UPDATE of `payment_reminded_at` (still empty), and a
cancellation re-reads the order under its row lock, so neither happens twice.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import ngettext

from .. import signals
from ..models import Order, PaymentMethod, PaymentStatus, Status
from .moves import cancel, lock_order

logger = logging.getLogger(__name__)

SWEEP_BATCH = 200
# An order that became due this long before the sweep first saw it (reminders just turned on, a
# worker stopped for days) is not reminded: the store does not write to its old orders at once.
REMINDER_WINDOW = timedelta(days=7)

# The customer pays these after ordering (an online order is paid at the checkout, or not at all).
REMINDED_METHODS = (PaymentMethod.TRANSFER, PaymentMethod.PAYMENT_LINK)
WAITING = Q(status=Status.PENDING, payment_status=PaymentStatus.UNPAID, payment_method__in=REMINDED_METHODS)


def reminder_delay() -> timedelta | None:
    hours = settings.UNPAID_REMINDER_HOURS
    return timedelta(hours=hours) if hours else None


def cancel_age() -> timedelta | None:
    days = settings.UNPAID_CANCEL_DAYS
    return timedelta(days=days) if days else None


def cancel_reason_text(order: Order) -> str:
    """The reason the system writes when it cancels an order never paid, in the order's language."""
    days = settings.UNPAID_CANCEL_DAYS
    with translation.override(order.language):
        return ngettext(
            "The payment did not arrive within %(days)d day of the order.",
            "The payment did not arrive within %(days)d days of the order.",
            days,
        ) % {"days": days}


def remind_unpaid(*, now: datetime | None = None, batch: int = SWEEP_BATCH) -> int:
    """Send payment_reminder_due once for each order unpaid for the reminder delay; returns how many.

    Each order in its own transaction: the conditional UPDATE claims it (a second sweep running
    at once updates nothing and moves on), the signal's receivers write the message in the same
    transaction, and a receiver that fails rolls the claim back for the next sweep.
    """
    delay = reminder_delay()
    if delay is None:
        return 0
    now = now or timezone.now()
    due = WAITING & Q(
        payment_reminded_at__isnull=True, created_at__lte=now - delay, created_at__gt=now - delay - REMINDER_WINDOW
    )
    age = cancel_age()
    if age is not None:
        due &= Q(created_at__gt=now - age)  # about to be cancelled: no reminder first
    reminded = 0
    for order_id in Order.objects.filter(due).order_by("created_at", "id").values_list("id", flat=True)[:batch]:
        try:
            with transaction.atomic():
                if not Order.objects.filter(due, pk=order_id).update(payment_reminded_at=now):
                    continue  # another sweep took it, or it was paid or moved meanwhile
                order = Order.objects.select_related("storefront").get(pk=order_id)
                signals.payment_reminder_due.send(sender=Order, order=order)
                reminded += 1
        except Exception:
            logger.exception("Could not remind order %s of its payment; the next sweep tries again.", order_id)
    return reminded


def cancel_unpaid(*, now: datetime | None = None, batch: int = SWEEP_BATCH) -> int:
    """Cancel, as the system, each order still unpaid UNPAID_CANCEL_DAYS after it was placed."""
    age = cancel_age()
    if age is None:
        return 0
    now = now or timezone.now()
    due = WAITING & Q(created_at__lte=now - age)
    cancelled = 0
    for order_id in Order.objects.filter(due).order_by("created_at", "id").values_list("id", flat=True)[:batch]:
        try:
            with transaction.atomic():
                order = lock_order(Order(pk=order_id))
                if not Order.objects.filter(due, pk=order_id).exists():
                    continue  # paid, moved or cancelled meanwhile (we hold its lock now)
                cancel(order, by=None, reason=cancel_reason_text(order))
                cancelled += 1
        except Exception:
            logger.exception("Could not cancel unpaid order %s; the next sweep tries again.", order_id)
    return cancelled


def sweep_unpaid(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic job: cancel the orders never paid, then remind the ones waiting."""
    now = now or timezone.now()
    counts = {"cancelled": cancel_unpaid(now=now), "reminded": remind_unpaid(now=now)}
    if any(counts.values()):
        logger.info("Unpaid orders sweep: %s", counts)
    return counts
