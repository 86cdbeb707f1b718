"""The moves through the lifecycle: accept, start preparation, ship, mark ready for pickup,
finalize, cancel. Each locks the order, asks check_move, saves, records the event and sends the signal.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from carriers.models import Carrier

from .. import events, signals
from ..models import Order, Status
from .lifecycle import check_move


def lock_order(order: Order) -> Order:
    """The order read again under its row's lock, for a change (moves, payments, custom statuses).
    The storefront comes with it (the receivers read it: platform emails, webhooks); only the
    order's row is locked."""
    return Order.objects.select_for_update(of=("self",)).select_related("storefront").get(pk=order.pk)


def _move(order: Order, to_status: str, *, by, note: str = "", data=None, notify_customer: bool,
          extra_fields: tuple[str, ...] = (), apply=None) -> Order:
    locked = lock_order(order)
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
