"""Signals the checkouts app sends, explicitly, from checkouts/services.py only.

Sent inside the transaction that made the change, so a receiver's writes commit or roll back with it.
"""
from django.dispatch import Signal

# checkout_abandoned(sender, checkout): the recovery delay passed and the checkout is still open;
# sent once per checkout, in the transaction that marks it reminded.
checkout_abandoned = Signal()
