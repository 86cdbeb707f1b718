"""Receivers of the orders app's signals: tracking back to the platform a connected order came from.

The signal is sent inside the move's transaction, so the write-back row commits or rolls back with
the move; its task runs once it commits (services/write_back.py).
"""
from .services import write_back


def on_order_status_changed(sender, order, from_status, to_status, **kwargs):
    write_back.record(order.pk, to_status)
