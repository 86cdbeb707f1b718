"""The lifecycle's rule book: which moves an order may make now, why one is refused, and what the
staff must do next. It decides and reads; the moves themselves are in moves.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from ..models import FulfillmentMethod, Order, PaymentMethod, Status


class TransitionNotAllowed(Exception):
    """A move the order's state or payment forbids. `code` is stable; `str()` is for people."""

    def __init__(self, code: str, message):
        self.code = code
        self.message = message
        super().__init__(str(message))

    def __str__(self):
        return str(self.message)


# The allowed moves, as data (one place to read them, one place that checks them).
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PENDING: frozenset({Status.ACCEPTED, Status.CANCELLED}),
    Status.ACCEPTED: frozenset({Status.PREPARING, Status.CANCELLED}),
    Status.PREPARING: frozenset({Status.SHIPPED, Status.READY_FOR_PICKUP, Status.CANCELLED}),
    Status.SHIPPED: frozenset({Status.FINALIZED, Status.CANCELLED}),
    Status.READY_FOR_PICKUP: frozenset({Status.FINALIZED, Status.CANCELLED}),
    Status.FINALIZED: frozenset(),
    Status.CANCELLED: frozenset(),
}

# Moves by name (the service function that makes each) and the status each reaches.
MOVES: dict[str, str] = {
    "accept": Status.ACCEPTED,
    "start_preparation": Status.PREPARING,
    "ship": Status.SHIPPED,
    "mark_ready_for_pickup": Status.READY_FOR_PICKUP,
    "finalize": Status.FINALIZED,
    "cancel": Status.CANCELLED,
}

# Payment methods that must be paid before the order is accepted.
PAID_BEFORE_ACCEPT = frozenset({PaymentMethod.TRANSFER, PaymentMethod.PAYMENT_LINK, PaymentMethod.ONLINE})

ACCEPT_UNPAID_REASONS = {
    PaymentMethod.TRANSFER: _("Transfer orders can be accepted once the payment is registered."),
    PaymentMethod.PAYMENT_LINK: _("Payment link orders can be accepted once the payment is registered."),
    PaymentMethod.ONLINE: _("Online orders can be accepted once the payment gateway reports the payment."),
}
FINALIZE_UNPAID_REASONS = {
    PaymentMethod.CASH_ON_DELIVERY: _(
        "Cash on delivery orders can be finalized once the collected payment is registered."
    ),
}
MOVE_REFUSED_REASONS = {
    Status.ACCEPTED: _("Only pending orders can be accepted; this one is %(status)s."),
    Status.PREPARING: _("Only accepted orders can start preparation; this one is %(status)s."),
    Status.SHIPPED: _("Only orders in preparation can be shipped; this one is %(status)s."),
    Status.READY_FOR_PICKUP: _("Only orders in preparation can be marked ready for pickup; this one is %(status)s."),
    Status.FINALIZED: _("Only shipped or ready-for-pickup orders can be finalized; this one is %(status)s."),
    Status.CANCELLED: _("A %(status)s order cannot be cancelled."),
}


def check_move(order: Order, to_status: str) -> None:
    """Raise TransitionNotAllowed if `order` may not move to `to_status` now.

    The single place where the lifecycle and its payment gates are decided; the admin's
    buttons and the API ask it too. Inputs of the move itself (carrier, tracking code,
    reason) are checked by the move.
    """
    if to_status not in TRANSITIONS[order.status]:
        raise TransitionNotAllowed(
            "invalid_transition",
            MOVE_REFUSED_REASONS[to_status] % {"status": Status(order.status).label.lower()},
        )
    if to_status == Status.SHIPPED and order.fulfillment_method != FulfillmentMethod.CARRIER:
        raise TransitionNotAllowed(
            "not_a_carrier_order",
            _("Pickup and to-be-agreed orders are never shipped: mark them ready for pickup."),
        )
    if to_status == Status.READY_FOR_PICKUP and order.fulfillment_method == FulfillmentMethod.CARRIER:
        raise TransitionNotAllowed(
            "carrier_order",
            _("Carrier orders are shipped with a tracking code, not marked ready for pickup."),
        )
    if order.is_paid:
        return
    if to_status == Status.ACCEPTED and order.payment_method in PAID_BEFORE_ACCEPT:
        raise TransitionNotAllowed("payment_required", ACCEPT_UNPAID_REASONS[order.payment_method])
    if to_status == Status.FINALIZED:
        raise TransitionNotAllowed(
            "payment_required",
            FINALIZE_UNPAID_REASONS.get(order.payment_method, _("Orders can be finalized once they are paid.")),
        )


def allowed_moves(order: Order) -> dict[str, str | None]:
    """Each move's name mapped to None when allowed now, else the human reason it is not."""
    result = {}
    for move, to_status in MOVES.items():
        try:
            check_move(order, to_status)
        except TransitionNotAllowed as refused:
            result[move] = str(refused)
        else:
            result[move] = None
    return result


@dataclass(frozen=True)
class NextAction:
    code: str
    label: Any


def next_action(order: Order) -> NextAction | None:
    """What the staff must do now, derived from the state (never stored)."""
    if order.status == Status.CANCELLED:
        # Money kept for an order that will not be delivered goes back to the customer.
        return NextAction("refund", _("Refund")) if order.is_refundable else None
    if order.status == Status.FINALIZED:
        return None
    if order.status == Status.PENDING:
        if order.payment_method in PAID_BEFORE_ACCEPT and not order.is_paid:
            return NextAction("await_payment", _("Waiting for payment"))
        return NextAction("accept", _("Accept"))
    if order.status == Status.ACCEPTED:
        return NextAction("prepare", _("Prepare"))
    if order.status == Status.PREPARING:
        if order.fulfillment_method == FulfillmentMethod.CARRIER:
            return NextAction("ship", _("Ship"))
        return NextAction("ready_for_pickup", _("Mark ready for pickup"))
    if order.status == Status.READY_FOR_PICKUP:
        return NextAction("await_pickup", _("Waiting for the customer to pick up"))
    if not order.is_paid:
        return NextAction("collect_and_finalize", _("Collect cash and finalize"))
    return NextAction("finalize", _("Finalize once delivered"))
