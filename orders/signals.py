"""Signals the orders app sends, explicitly, from orders/services/ only.

They are sent inside the transaction that made the change, after it is saved, so a
receiver's writes (the notification outbox) commit or roll back with the change.
"""
from django.dispatch import Signal

# order_placed(sender, order, by): a new order was recorded.
order_placed = Signal()

# order_status_changed(sender, order, from_status, to_status, by, notify_customer)
order_status_changed = Signal()

# payment_received(sender, order, payment, became_paid, by, notify_customer)
payment_received = Signal()

# refund_registered(sender, order, refund, fully_refunded, by, notify_customer): money was given
# back on a paid order; fully_refunded: nothing paid is left to refund.
refund_registered = Signal()

# custom_status_changed(sender, order, status_type, from_status, to_status, by, notify_customer)
# status_type: "general", "delivery" or "payment"; from_status: the CustomStatus the order had
# for that type (None if none); to_status: the CustomStatus it has now.
custom_status_changed = Signal()

# payment_reminder_due(sender, order): a transfer or payment link order is still unpaid
# UNPAID_REMINDER_HOURS after it was placed; sent once per order, by the unpaid-order sweep.
payment_reminder_due = Signal()
