"""Receivers of the orders app's signals: they write the webhook outbox rows.

The signals are sent inside the transaction that changed the order, so the rows commit or
roll back with the change; deliveries are enqueued only once it commits. A receiver passes only
what the signal says; the order (and its tracking, a cancellation's reason) is read for the body
once the change commits (payloads.build_bodies), never from the shared `order` instance.
"""
from orders.models import Status

from . import payloads, services
from .models import Event


def on_order_placed(sender, order, **kwargs):
    services.record_events(order, [(Event.ORDER_CREATED, None)])


def on_order_status_changed(sender, order, from_status, to_status, **kwargs):
    events = [(Event.ORDER_STATUS_CHANGED, payloads.status_change(from_status, to_status))]
    if to_status == Status.SHIPPED:
        events.append((Event.ORDER_SHIPPED, None))  # tracking: payloads.ORDER_PARTS
    elif to_status == Status.CANCELLED:
        events.append((Event.ORDER_CANCELLED, None))  # reason: payloads.ORDER_PARTS
    services.record_events(order, events)


def on_payment_received(sender, order, payment, became_paid=False, **kwargs):
    if became_paid:
        services.record_events(order, [(Event.ORDER_PAID, lambda: payloads.payment(payment))])


def on_refund_registered(sender, order, refund, fully_refunded=False, **kwargs):
    services.record_events(order, [(Event.ORDER_REFUNDED, lambda: payloads.refund(refund, fully_refunded))])


def on_custom_status_changed(sender, order, status_type, from_status, to_status, **kwargs):
    def data():
        return payloads.custom_status_change(status_type, from_status, to_status)

    services.record_events(order, [(Event.ORDER_CUSTOM_STATUS_CHANGED, data)])
