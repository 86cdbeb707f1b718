"""Payments: registering one, and reading the amounts the services are given."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import get_language, gettext_lazy as _

from .. import events, signals
from ..models import Order, Payment, PaymentStatus, Status
from .lifecycle import TransitionNotAllowed
from .moves import lock_order


def to_amount(value, field: str) -> Decimal:
    """`value` as an amount of money (finite, at most two decimals), else a ValidationError on `field`."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Enter an amount such as 1500.00.")}, code="invalid") from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise ValidationError({field: _("Enter an amount with at most two decimals.")}, code="invalid")
    return amount


@transaction.atomic
def register_payment(order: Order, *, by, amount, reference: str = "", proof=None,
                     notify_customer: bool = True) -> Payment:
    """Record a payment (amount, reference and/or proof); the order is paid once payments cover its total."""
    amount = to_amount(amount, "amount")
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be greater than zero.")}, code="min_value")
    locked = lock_order(order)
    if locked.status == Status.CANCELLED:
        raise TransitionNotAllowed("order_cancelled", _("Cancelled orders cannot receive payments."))
    if locked.is_paid:
        raise TransitionNotAllowed("already_paid", _("This order is already paid."))
    # Counted under the order's lock: payments racing each other cannot pass the total together.
    paid_before = locked.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    due = locked.total - paid_before
    if amount > due:
        language = get_language()
        raise TransitionNotAllowed("overpayment", _(
            "This payment of %(amount)s is more than the %(due)s still owed on the order; register at most that."
        ) % {
            "amount": locked.format_money(amount, language),
            "due": locked.format_money(max(due, Decimal("0")), language),
        })
    payment = Payment(order=locked, amount=amount, reference=(reference or "").strip(), recorded_by=by)
    if proof is not None:
        payment.proof = proof
    payment.full_clean()
    payment.save()
    became_paid = paid_before + amount >= locked.total
    if became_paid:
        locked.payment_status = PaymentStatus.PAID
    # updated_at moves for a part payment too, so integrations syncing with `updated_since` see it.
    locked.save(update_fields=["payment_status", "updated_at"] if became_paid else ["updated_at"])
    events.payment_registered_event(order=locked, user=by, payment=payment)
    signals.payment_received.send(
        sender=Order, order=locked, payment=payment, became_paid=became_paid, by=by,
        notify_customer=notify_customer,
    )
    return payment
