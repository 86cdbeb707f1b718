"""Receivers of the orders app's signals: tracking back to the platform a connected order came from.

The signal is sent inside the move's transaction, so the write-back row commits or rolls back with
the move; its task runs once it commits (services/write_back.py).
"""
from .services import write_back


def on_order_status_changed(sender, order, from_status, to_status, **kwargs):
    # Only a storefront's order with its platform id can have come from a platform (no query otherwise).
    if order.storefront_id and order.external_id and to_status in write_back.MOVES:
        write_back.record(order.pk, to_status)
