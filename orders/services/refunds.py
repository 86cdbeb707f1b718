"""Refunds: giving back money paid on an order, never more than was paid."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import get_language, gettext_lazy as _

from .. import events, signals
from ..models import Order, PaymentStatus, Refund
from .lifecycle import TransitionNotAllowed
from .moves import lock_order
from .payments import to_amount

MAX_NOTE_LENGTH = 1000


def refundable_amount(order: Order) -> Decimal:
    """What was paid on the order and not refunded yet (0 when nothing can be refunded)."""
    paid = order.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    refunded = order.refunds.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return max(paid - refunded, Decimal("0"))


def refund_refusal(order: Order) -> TransitionNotAllowed | None:
    """Why no refund can be registered on the order now, from its payment status; None if one can."""
    if order.payment_status == PaymentStatus.REFUNDED:
        return TransitionNotAllowed("already_refunded", _("This order was already refunded in full."))
    if not order.is_refundable:
        return TransitionNotAllowed("not_paid", _("Only paid orders can be refunded; this one is not paid."))
    return None


@transaction.atomic
def register_refund(order: Order, *, by, amount, reference: str = "", note: str = "",
                    notify_customer: bool = True) -> Refund:
    """Record money given back on a paid order (typically a cancelled one).

    Never more than was paid and not refunded yet, counted under the order's row lock, so refunds
    racing each other cannot pass it together. The order's payment status becomes
    `partially_refunded`, or `refunded` once everything paid was given back; the timeline gets a
    `refund_registered` event and `signals.refund_registered` is sent (the customer's message,
    webhooks).
    """
    amount = to_amount(amount, "amount")
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be greater than zero.")}, code="min_value")
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError(
            {"note": _("Write at most %(limit)s characters.") % {"limit": MAX_NOTE_LENGTH}}, code="max_length"
        )
    locked = lock_order(order)
    refused = refund_refusal(locked)
    if refused is not None:
        raise refused
    refundable = refundable_amount(locked)
    if amount > refundable:
        language = get_language()
        raise TransitionNotAllowed("refund_exceeds_paid", _(
            "This refund of %(amount)s is more than the %(refundable)s paid and not refunded yet; "
            "refund at most that."
        ) % {
            "amount": locked.format_money(amount, language),
            "refundable": locked.format_money(refundable, language),
        })
    refund = Refund(order=locked, amount=amount, reference=(reference or "").strip(), note=note, recorded_by=by)
    refund.full_clean()
    refund.save()
    fully_refunded = amount >= refundable
    locked.payment_status = PaymentStatus.REFUNDED if fully_refunded else PaymentStatus.PARTIALLY_REFUNDED
    locked.save(update_fields=["payment_status", "updated_at"])
    events.refund_registered_event(order=locked, user=by, refund=refund)
    signals.refund_registered.send(
        sender=Order, order=locked, refund=refund, fully_refunded=fully_refunded, by=by,
        notify_customer=notify_customer,
    )
    return refund
