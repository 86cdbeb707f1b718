"""Receivers of the orders app's signals: they move stock inside the order's own transaction.

The signals are sent inside the transaction that placed or cancelled the order, so the stock
movements (and the order's oversold flag) commit or roll back with it.
"""
from orders.models import Status

from . import services


def on_order_placed(sender, order, by=None, **kwargs):
    services.take_for_order(order, by=by)


def on_order_status_changed(sender, order, from_status=None, to_status=None, by=None, **kwargs):
    if to_status == Status.CANCELLED:
        services.restore_for_order(order, by=by)
