"""Receivers of the orders app's signals. `order_placed` is sent inside the order's transaction: the
queued link commits or rolls back with the order, and is made once it commits."""
from . import links


def on_order_placed(sender, order, **kwargs):
    if links.wanted(order):
        links.request_link(order)
