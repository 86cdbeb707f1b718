"""One small factory per timeline event, so timeline rows are written the same way everywhere; and
the readers of what an event recorded that others show (the cancel reason)."""
from .models import CustomStatus, Order, OrderEvent, Payment, Refund, Status


def order_placed_event(*, order: Order, user) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order, kind=OrderEvent.Kind.PLACED, to_status=order.status, actor=user
    )


def status_changed_event(*, order: Order, user, from_status: str, note: str = "", data=None) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order,
        kind=OrderEvent.Kind.STATUS_CHANGED,
        from_status=from_status,
        to_status=order.status,
        actor=user,
        note=note,
        data=data or {},
    )


def payment_registered_event(*, order: Order, user, payment: Payment) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order,
        kind=OrderEvent.Kind.PAYMENT_REGISTERED,
        actor=user,
        note=payment.reference,
        data={"payment_id": payment.pk, "amount": str(payment.amount), "paid": order.is_paid},
    )


def refund_registered_event(*, order: Order, user, refund: Refund) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order,
        kind=OrderEvent.Kind.REFUND_REGISTERED,
        actor=user,
        note=" · ".join(part for part in (refund.reference, refund.note) if part),
        data={
            "refund_id": refund.pk, "amount": str(refund.amount), "reference": refund.reference,
            "payment_status": order.payment_status,
        },
    )


def custom_status_changed_event(*, order: Order, user, status_type: str, from_status: CustomStatus | None,
                                to_status: CustomStatus | None) -> OrderEvent:
    """A custom status set (to_status) or cleared (to_status None) on the order's timeline."""
    return OrderEvent.objects.create(
        order=order,
        kind=OrderEvent.Kind.CUSTOM_STATUS,
        actor=user,
        custom_status=to_status,
        data={
            "type": status_type,
            "from": from_status.code if from_status else None,
            "to": to_status.code if to_status else None,
        },
    )


def note_event(*, order: Order, user, note: str, data=None) -> OrderEvent:
    """A note on the timeline: a correction of how to reach the customer, a redaction."""
    return OrderEvent.objects.create(order=order, kind=OrderEvent.Kind.NOTE, actor=user, note=note, data=data or {})


def cancel_reason(order: Order) -> str:
    """Why the order was cancelled, as staff (or the system) wrote it when cancelling; "" if it was not."""
    if order.status != Status.CANCELLED:
        return ""
    note = (
        order.events.filter(kind=OrderEvent.Kind.STATUS_CHANGED, to_status=Status.CANCELLED)
        .order_by("-created_at", "-id").values_list("note", flat=True).first()
    )
    return note or ""
