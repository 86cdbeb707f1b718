"""What the checkouts app does when orders announce something (connected in CheckoutsConfig.ready)."""
from . import services


def on_order_placed(sender, order, **kwargs):
    # Inside place_order's transaction: the checkout is marked with the order, or not at all.
    services.mark_recovered(order=order)
