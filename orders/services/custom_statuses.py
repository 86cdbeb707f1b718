"""Custom statuses on an order: setting and clearing them. They never touch `status` or
`payment_status`, which stay the only gates."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import events, signals
from ..models import CustomStatus, CustomStatusType, Order, OrderCustomStatus, Status
from .lifecycle import TransitionNotAllowed
from .moves import lock_order


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
    locked = lock_order(order)
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
    locked = lock_order(order)
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
