"""Receivers of the orders and checkouts apps' signals: they write the notification outbox rows.

The signals are sent inside the transaction that changed the order (or the checkout), so the
rows commit or roll back with the change; deliveries are enqueued only once it commits.
"""
from django.db import transaction

from orders.models import FulfillmentMethod, Status

from . import services
from .models import Milestone, RuleStatusType
from .rendering import forget_cached


def on_order_placed(sender, order, by=None, notify_customer=True, **kwargs):
    services.record_milestone(order, Milestone.ORDER_PLACED, notify_customer=notify_customer)
    services.record_milestone(order, Milestone.NEW_ORDER)
    # A new order enters "pending": rules "from any status to Pending" apply to it.
    services.record_rules(
        order, status_type=RuleStatusType.ORDER, from_status=None, to_status=order.status or Status.PENDING,
        notify_customer=notify_customer,
    )


def on_order_status_changed(sender, order, from_status, to_status, by=None, notify_customer=True, **kwargs):
    services.record_rules(
        order, status_type=RuleStatusType.ORDER, from_status=from_status, to_status=to_status,
        notify_customer=notify_customer,
    )
    milestone = services.STATUS_MILESTONES.get(to_status)
    if milestone is None:
        return
    if milestone == Milestone.SHIPPED and not (
        order.fulfillment_method == FulfillmentMethod.CARRIER and order.carrier_id and order.tracking_code
    ):
        # Only carrier orders are shipped, and the message always carries the tracking code and link.
        return
    services.record_milestone(order, milestone, notify_customer=notify_customer)


def on_custom_status_changed(sender, order, status_type, from_status, to_status, by=None, notify_customer=True,
                             **kwargs):
    services.record_rules(
        order, status_type=status_type, from_status=from_status, to_status=to_status,
        notify_customer=notify_customer,
    )


def on_payment_received(sender, order, payment, became_paid=False, by=None, notify_customer=True, **kwargs):
    if became_paid:
        services.record_milestone(order, Milestone.PAYMENT_APPROVED, notify_customer=notify_customer)


def on_refund_registered(sender, order, refund, by=None, notify_customer=True, **kwargs):
    # One message per refund and channel: each refund tells the customer of its amount and of what was
    # refunded on the order up to it.
    services.record_milestone(order, Milestone.REFUNDED, notify_customer=notify_customer, refund=refund)


def on_payment_reminder_due(sender, order, **kwargs):
    services.record_milestone(order, Milestone.PAYMENT_REMINDER)


def on_checkout_abandoned(sender, checkout, **kwargs):
    services.record_checkout_recovery(checkout)


def on_email_tracking(sender, event, esp_name="", **kwargs):
    services.apply_tracking_event(event, esp_name=esp_name)


def forget_rules(**kwargs):
    """A rule was saved or deleted (one by one or in bulk) or its carriers changed: the active rules
    kept per process are dropped now, and again once the change commits (a process that read them
    in between would otherwise keep the old ones)."""
    if kwargs.get("action", "post_").startswith("post_"):
        forget_cached()
        transaction.on_commit(forget_cached)
