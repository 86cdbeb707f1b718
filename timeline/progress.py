"""What the customer's timeline page says, derived from the order and its events."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import pgettext_lazy

from orders.models import CustomStatusType, FulfillmentMethod, OrderEvent, PaymentMethod, PaymentStatus, Status

DONE, CURRENT, UPCOMING = "done", "current", "upcoming"

STEP_LABELS = {
    Status.PENDING: pgettext_lazy("order timeline step", "Order received"),
    Status.ACCEPTED: pgettext_lazy("order timeline step", "Accepted"),
    Status.PREPARING: pgettext_lazy("order timeline step", "Preparing"),
    Status.SHIPPED: pgettext_lazy("order timeline step", "Shipped"),
    Status.READY_FOR_PICKUP: pgettext_lazy("order timeline step", "Ready for pickup"),
    Status.FINALIZED: pgettext_lazy("order timeline step", "Finalized"),
    Status.CANCELLED: pgettext_lazy("order timeline step", "Cancelled"),
}

CARRIER_PATH = (Status.PENDING, Status.ACCEPTED, Status.PREPARING, Status.SHIPPED, Status.FINALIZED)
PICKUP_PATH = (Status.PENDING, Status.ACCEPTED, Status.PREPARING, Status.READY_FOR_PICKUP, Status.FINALIZED)

# What is pending about the payment, in the customer's words.
UNPAID_MESSAGES = {
    PaymentMethod.TRANSFER: pgettext_lazy("order timeline payment", "We are waiting for your transfer"),
    PaymentMethod.PAYMENT_LINK: pgettext_lazy("order timeline payment", "We are waiting for your payment"),
    PaymentMethod.CASH_ON_DELIVERY: pgettext_lazy("order timeline payment", "Pay on delivery"),
    PaymentMethod.ONLINE: pgettext_lazy("order timeline payment", "We are waiting for your payment"),
}
UNPAID_HINTS = {
    PaymentMethod.TRANSFER: pgettext_lazy(
        "order timeline payment", "As soon as your transfer arrives, we will confirm your order."
    ),
    PaymentMethod.PAYMENT_LINK: pgettext_lazy(
        "order timeline payment", "Use the payment link the store sent you. We will confirm your order once it is paid."
    ),
    PaymentMethod.CASH_ON_DELIVERY: pgettext_lazy(
        "order timeline payment", "You pay when you receive your order."
    ),
    PaymentMethod.ONLINE: pgettext_lazy(
        "order timeline payment", "We will confirm your order as soon as the payment is approved."
    ),
}
PAID_MESSAGE = pgettext_lazy("order timeline payment", "Paid")
REFUND_DUE_HINT = pgettext_lazy("order timeline payment", "Your order was cancelled: we will refund what you paid.")
REFUNDED_MESSAGES = {
    PaymentStatus.REFUNDED: pgettext_lazy("order timeline payment", "Refunded"),
    PaymentStatus.PARTIALLY_REFUNDED: pgettext_lazy("order timeline payment", "Partially refunded"),
}
REFUNDED_HINT = pgettext_lazy(
    "order timeline payment",
    "We refunded %(amount)s. Depending on how you paid, it may take a few days to show in your account.",
)


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    state: str  # DONE, CURRENT or UPCOMING
    at: datetime | None
    complete: bool  # reached and finished (a finalized order's last step is both current and complete)
    detail: bool = False  # a delivery status the store or carrier reported, shown between Shipped and Finalized


@dataclass(frozen=True)
class Progress:
    steps: list[Step]
    cancelled_at: datetime | None
    paid_at: datetime | None


def _path_for(order) -> tuple[str, ...]:
    if order.status == Status.SHIPPED:
        return CARRIER_PATH
    if order.status == Status.READY_FOR_PICKUP:
        return PICKUP_PATH
    return CARRIER_PATH if order.fulfillment_method == FulfillmentMethod.CARRIER else PICKUP_PATH


def _delivery_updates(order, events: list[OrderEvent]) -> list[tuple[str, str, datetime]]:
    """(code, name in the customer's language, time) of each delivery-type custom status set, oldest
    first; a type cleared by staff (a correction) takes back what came before it."""
    updates = []
    for event in events:
        if event.kind != OrderEvent.Kind.CUSTOM_STATUS or not isinstance(event.data, dict):
            continue
        if event.data.get("type") != CustomStatusType.DELIVERY:
            continue
        if event.custom_status_id is None:
            updates = []
        else:
            updates.append((event.custom_status.code, event.custom_status.name_in(order.language), event.created_at))
    return updates


def _with_delivery_updates(order, steps: list[Step], events: list[OrderEvent]) -> list[Step]:
    """Delivery statuses go right before the last step (Finalized, or Cancelled). While the order
    is shipped or ready for pickup, the latest one is where the order is now."""
    updates = _delivery_updates(order, events)
    if not updates:
        return steps
    last = steps[-1]
    at_dispatch = last.code != Status.CANCELLED and order.status in (Status.SHIPPED, Status.READY_FOR_PICKUP)
    details = []
    for index, (code, name, at) in enumerate(updates):
        current = at_dispatch and index == len(updates) - 1
        details.append(Step(
            code=f"delivery:{code}", label=name, state=CURRENT if current else DONE, at=at, complete=not current,
            detail=True,
        ))
    head = steps[:-1]
    if at_dispatch:
        head = [
            Step(step.code, step.label, DONE, step.at, True) if step.state == CURRENT else step for step in head
        ]
    return [*head, *details, last]


def build_progress(order, events: list[OrderEvent]) -> Progress:
    """The steps of the order in their order, each with the date it was reached."""
    progress = _build_core_progress(order, events)
    return Progress(
        steps=_with_delivery_updates(order, progress.steps, events),
        cancelled_at=progress.cancelled_at,
        paid_at=progress.paid_at,
    )


def _build_core_progress(order, events: list[OrderEvent]) -> Progress:
    reached: dict[str, datetime] = {}
    cancelled_from = ""
    paid_at = None
    for event in events:  # oldest first
        if event.kind == OrderEvent.Kind.PLACED:
            reached.setdefault(Status.PENDING, event.created_at)
        elif event.kind == OrderEvent.Kind.STATUS_CHANGED and event.to_status:
            reached.setdefault(event.to_status, event.created_at)
            if event.to_status == Status.CANCELLED:
                cancelled_from = event.from_status
        elif event.kind == OrderEvent.Kind.PAYMENT_REGISTERED and paid_at is None:
            if isinstance(event.data, dict) and event.data.get("paid"):
                paid_at = event.created_at
    reached.setdefault(Status.PENDING, order.created_at)

    path = _path_for(order)
    if order.status == Status.CANCELLED:
        # The steps the order went through, then the cancellation; nothing still to come.
        if cancelled_from in path:
            last = path.index(cancelled_from)
        else:
            last = max((i for i, code in enumerate(path) if code in reached), default=0)
        steps = [Step(code, STEP_LABELS[code], DONE, reached.get(code), True) for code in path[: last + 1]]
        cancelled_at = reached.get(Status.CANCELLED)
        steps.append(Step(Status.CANCELLED, STEP_LABELS[Status.CANCELLED], CURRENT, cancelled_at, True))
        return Progress(steps=steps, cancelled_at=cancelled_at, paid_at=paid_at)

    current = path.index(order.status)
    steps = []
    for index, code in enumerate(path):
        if index < current:
            state = DONE
        elif index == current:
            state = CURRENT
        else:
            state = UPCOMING
        steps.append(
            Step(
                code=code,
                label=STEP_LABELS[code],
                state=state,
                at=reached.get(code) if index <= current else None,
                complete=index < current or order.status == Status.FINALIZED,
            )
        )
    return Progress(steps=steps, cancelled_at=None, paid_at=paid_at)


def payment_message(order, refunded: str = "") -> tuple[str, str] | None:
    """(headline, explanation) about the payment, or None when there is nothing to say.

    refunded: what was refunded on the order, written as money (for a refunded order).
    """
    if order.payment_status in REFUNDED_MESSAGES:
        return REFUNDED_MESSAGES[order.payment_status], REFUNDED_HINT % {"amount": refunded}
    if order.is_paid:
        return PAID_MESSAGE, REFUND_DUE_HINT if order.status == Status.CANCELLED else ""
    if order.status == Status.CANCELLED:
        return None
    message = UNPAID_MESSAGES.get(order.payment_method)
    if message is None:
        return None
    return message, UNPAID_HINTS.get(order.payment_method, "")
