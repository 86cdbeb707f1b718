"""Every change of an order's status or payment status happens here, and only here.

Each move runs in one transaction: lock the order row, check the move against the
transition table and the payment gate, save, append a timeline event, then send the
signal (inside the transaction, so the notification outbox commits with the change).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy as _

from carriers.models import Carrier

from . import events, models as order_models, signals
from .models import (
    CustomStatus,
    CustomStatusType,
    FulfillmentMethod,
    Order,
    OrderCustomStatus,
    OrderLine,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Status,
)


class TransitionNotAllowed(Exception):
    """A move the order's state or payment forbids. `code` is stable; `str()` is for people."""

    def __init__(self, code: str, message):
        self.code = code
        self.message = message
        super().__init__(str(message))

    def __str__(self):
        return str(self.message)


class CustomStatusNotFound(Exception):
    """No custom status type, or no status of that type, with the given code.

    `code` is stable ("unknown_custom_status_type" or "unknown_custom_status"), `field` is the
    input at fault ("type" or "code"), `str()` is for people.
    """

    def __init__(self, code: str, field: str, message):
        self.code = code
        self.field = field
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
    if order.status in (Status.FINALIZED, Status.CANCELLED):
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


# --- moves -----------------------------------------------------------------------------------


def _lock(order: Order) -> Order:
    # The storefront comes with it (the receivers read it: platform emails, webhooks); only the
    # order's row is locked.
    return Order.objects.select_for_update(of=("self",)).select_related("storefront").get(pk=order.pk)


def _move(order: Order, to_status: str, *, by, note: str = "", data=None, notify_customer: bool,
          extra_fields: tuple[str, ...] = (), apply=None) -> Order:
    locked = _lock(order)
    check_move(locked, to_status)
    if apply is not None:
        apply(locked)
    from_status = locked.status
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at", *extra_fields])
    events.status_changed_event(order=locked, user=by, from_status=from_status, note=note, data=data)
    signals.order_status_changed.send(
        sender=Order, order=locked, from_status=from_status, to_status=to_status, by=by,
        notify_customer=notify_customer,
    )
    return locked


@transaction.atomic
def accept(order: Order, *, by, notify_customer: bool = True) -> Order:
    return _move(order, Status.ACCEPTED, by=by, notify_customer=notify_customer)


@transaction.atomic
def start_preparation(order: Order, *, by, notify_customer: bool = True) -> Order:
    return _move(order, Status.PREPARING, by=by, notify_customer=notify_customer)


@transaction.atomic
def ship(order: Order, *, by, carrier: Carrier, tracking_code: str, notify_customer: bool = True) -> Order:
    """Ship with an active carrier and a tracking code in that carrier's format."""
    if carrier is None:
        raise ValidationError({"carrier": _("Choose the carrier.")}, code="carrier_required")
    if not carrier.active:
        raise ValidationError(
            {"carrier": _("%(carrier)s is not an active carrier.") % {"carrier": carrier.name}}, code="carrier_inactive"
        )
    try:
        code = carrier.clean_tracking_code(tracking_code)
    except ValidationError as error:
        raise ValidationError({"tracking_code": error.error_list}) from error

    def apply(locked: Order) -> None:
        locked.carrier = carrier
        locked.tracking_code = code

    return _move(
        order, Status.SHIPPED, by=by, notify_customer=notify_customer,
        data={"carrier": carrier.code, "tracking_code": code},
        extra_fields=("carrier", "tracking_code"), apply=apply,
    )


@transaction.atomic
def mark_ready_for_pickup(order: Order, *, by, notify_customer: bool = True) -> Order:
    return _move(order, Status.READY_FOR_PICKUP, by=by, notify_customer=notify_customer)


@transaction.atomic
def finalize(order: Order, *, by, notify_customer: bool = True) -> Order:
    return _move(order, Status.FINALIZED, by=by, notify_customer=notify_customer)


@transaction.atomic
def cancel(order: Order, *, by, reason: str, notify_customer: bool = True) -> Order:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the order is cancelled.")}, code="reason_required")
    return _move(order, Status.CANCELLED, by=by, note=reason, notify_customer=notify_customer)


def _to_amount(value, field: str) -> Decimal:
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
    amount = _to_amount(amount, "amount")
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be greater than zero.")}, code="min_value")
    locked = _lock(order)
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


def record_oversold(order: Order, skus: list[str]) -> Order:
    """Record the SKUs `order` took below zero stock (the inventory app calls it when the order is placed).

    Runs in the caller's transaction. `updated_at` moves with it, so the API's kept order JSON and
    integrations syncing with `updated_since` see the flag; the instance given is updated too.
    """
    now = timezone.now()
    skus = list(skus)
    Order.objects.filter(pk=order.pk).update(oversold_skus=skus, updated_at=now)
    order.oversold_skus = skus
    order.updated_at = now
    return order


def mark_changed(order: Order) -> Order:
    """Another app changed what the order shows (its payment link was made): `updated_at` moves, so
    the API's kept order JSON and integrations syncing with `updated_since` see it. Runs in the
    caller's transaction; the instance given is updated too."""
    now = timezone.now()
    Order.objects.filter(pk=order.pk).update(updated_at=now)
    order.updated_at = now
    return order


NUMBER_DRAWS = 5  # 32^8 numbers: a second clash in a row is already next to impossible


def _insert_order(order: Order) -> None:
    """Insert a new order; if another order holds its number (drawn twice, or by a create racing
    this one), draw a new number and insert again, a few times. Each try runs in a savepoint, so a
    failed one leaves nothing behind. Any other integrity error (e.g. the storefront's external id
    already used) is raised as it is."""
    for draw in range(1, NUMBER_DRAWS + 1):
        try:
            with transaction.atomic():
                order.save(force_insert=True)
            return
        except IntegrityError:
            if draw == NUMBER_DRAWS or not Order.objects.filter(number=order.number).exists():
                raise
        order.number = order_models.new_order_number()


@transaction.atomic
def place_order(
    *,
    by,
    customer_name: str,
    payment_method: str,
    fulfillment_method: str,
    currency: str,
    lines: list[dict],
    shipping_cost=Decimal("0"),
    customer_email: str = "",
    customer_phone: str = "",
    language: str = "es",
    city: str = "",
    address: str = "",
    pickup_point: str = "",
    storefront=None,
    external_id: str = "",
    external_checkout_id: str = "",
    payment: dict | None = None,
    notify_customer: bool = True,
) -> Order:
    """Record a new order with its lines (and a payment already taken online, if any).

    Raises ValidationError with one message per field for bad input; saves nothing then.
    """
    errors: dict[str, list] = {}
    order = Order(
        number=order_models.new_order_number(),
        storefront=storefront,
        external_id=external_id or "",
        external_checkout_id=(external_checkout_id or "").strip(),
        customer_name=(customer_name or "").strip(),
        customer_email=(customer_email or "").strip(),
        customer_phone=customer_phone or "",
        language=language,
        fulfillment_method=fulfillment_method,
        city=(city or "").strip(),
        address=(address or "").strip(),
        pickup_point=(pickup_point or "").strip(),
        payment_method=payment_method,
        currency=(currency or "").upper(),
    )
    try:
        order.shipping_cost = _to_amount(shipping_cost, "shipping_cost")
    except ValidationError as error:
        errors.update(error.message_dict)
    if fulfillment_method == FulfillmentMethod.CARRIER and not order.address:
        errors.setdefault("address", []).append(_("Carrier orders need a delivery address."))
    if fulfillment_method == FulfillmentMethod.PICKUP and not order.pickup_point:
        errors.setdefault("pickup_point", []).append(_("Pickup orders need the pickup point."))

    order_lines: list[OrderLine] = []
    if not lines:
        errors.setdefault("lines", []).append(_("An order needs at least one line."))
    for number, data in enumerate(lines or [], start=1):
        line = OrderLine(
            order=order, sku=(data.get("sku") or "").strip(), name=(data.get("name") or "").strip(),
            quantity=data.get("quantity"),
        )
        try:
            line.unit_price = _to_amount(data.get("unit_price"), "unit_price")
            line.line_total = line.unit_price * int(line.quantity or 0)
            # Field validators cover the two CHECK constraints; skip their per-line queries.
            line.full_clean(exclude=["order"], validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    errors.setdefault("lines", []).append(
                        _("Line %(number)s, %(field)s: %(message)s")
                        % {"number": number, "field": field, "message": message}
                    )
        except (TypeError, ValueError):
            errors.setdefault("lines", []).append(
                _("Line %(number)s: the quantity must be a whole number.") % {"number": number}
            )
        order_lines.append(line)

    if not errors:
        order.lines_total = sum((line.line_total for line in order_lines), Decimal("0"))
        order.total = order.lines_total + order.shipping_cost
    try:
        # The number's uniqueness is settled by the insert (_insert_order), which draws again on a clash.
        order.full_clean(exclude=["storefront", "carrier", "number"] + list(errors))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    _insert_order(order)
    for line in order_lines:
        line.order = order
    OrderLine.objects.bulk_create(order_lines)
    events.order_placed_event(order=order, user=by)
    signals.order_placed.send(sender=Order, order=order, by=by, notify_customer=notify_customer)
    if payment:
        register_payment(
            order, by=by, amount=payment.get("amount"), reference=payment.get("reference", ""),
            notify_customer=notify_customer,
        )
        order.refresh_from_db()
    return order


# --- custom statuses -------------------------------------------------------------------------


def _check_custom_status_type(status_type) -> None:
    if not isinstance(status_type, str) or status_type not in CustomStatusType.values:
        raise CustomStatusNotFound(
            "unknown_custom_status_type", "type",
            _("“%(type)s” is not a custom status type; use general, delivery or payment.") % {"type": status_type},
        )


def get_custom_status(*, status_type, code) -> CustomStatus:
    """The custom status of `status_type` with `code` (active or not), else CustomStatusNotFound."""
    _check_custom_status_type(status_type)
    status = None
    if isinstance(code, str) and code:
        status = CustomStatus.objects.filter(type=status_type, code=code).first()
    if status is None:
        raise CustomStatusNotFound(
            "unknown_custom_status", "code",
            _("There is no %(type)s status with the code “%(code)s”.")
            % {"type": CustomStatusType(status_type).label.lower(), "code": code},
        )
    return status


@transaction.atomic
def set_custom_status(order: Order, *, by, status_type: str, code: str, notify_customer: bool = True) -> Order:
    """Give the order the custom status `code` of `status_type`, replacing its current one of that type.

    Never touches `status` or `payment_status` (they stay the only gates). Records the current row,
    a timeline event and sends `custom_status_changed`, in one transaction with the order locked.
    Setting the status the order already has changes nothing (no event, no signal), even if that
    status was deactivated since. Refused (TransitionNotAllowed) for an inactive status
    ("custom_status_inactive") and on a cancelled order ("order_cancelled"); a finalized order may
    still get one (e.g. "delivered" reported late by the carrier).
    """
    status = get_custom_status(status_type=status_type, code=code)
    locked = _lock(order)
    current = (
        OrderCustomStatus.objects.select_related("status").filter(order=locked, type=status_type).first()
    )
    if current is not None and current.status_id == status.pk:
        return locked
    if not status.active:
        raise TransitionNotAllowed(
            "custom_status_inactive",
            _("The status “%(name)s” is inactive: reactivate it in the admin to use it.") % {"name": status.label},
        )
    if locked.status == Status.CANCELLED:
        raise TransitionNotAllowed("order_cancelled", _("Cancelled orders cannot get custom statuses."))
    from_status = current.status if current is not None else None
    now = timezone.now()
    if current is None:
        OrderCustomStatus.objects.create(order=locked, type=status_type, status=status, set_at=now, set_by=by)
    else:
        current.status = status
        current.set_at = now
        current.set_by = by
        current.save(update_fields=["status", "set_at", "set_by"])
    # updated_at moves so integrations syncing with `updated_since` see the change.
    locked.save(update_fields=["updated_at"])
    events.custom_status_changed_event(
        order=locked, user=by, status_type=status_type, from_status=from_status, to_status=status
    )
    signals.custom_status_changed.send(
        sender=Order, order=locked, status_type=status_type, from_status=from_status, to_status=status, by=by,
        notify_customer=notify_customer,
    )
    return locked


@transaction.atomic
def clear_custom_status(order: Order, *, by, status_type: str) -> Order:
    """Remove the order's custom status of `status_type` (a staff correction).

    Records a timeline event (custom_status None, data "to": None) but sends no signal and so
    notifies nobody: `custom_status_changed` always carries the status the order now has.
    Clearing a type the order does not have changes nothing.
    """
    _check_custom_status_type(status_type)
    locked = _lock(order)
    current = (
        OrderCustomStatus.objects.select_related("status").filter(order=locked, type=status_type).first()
    )
    if current is None:
        return locked
    current.delete()
    locked.save(update_fields=["updated_at"])
    events.custom_status_changed_event(
        order=locked, user=by, status_type=status_type, from_status=current.status, to_status=None
    )
    return locked
