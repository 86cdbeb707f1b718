"""The orders app's models, one module per record:

- choices.py: the values of an order's status, payment, fulfillment, language and custom status type;
- order.py: the order and its lines (and the public number and timeline token they are given);
- custom_status.py: the statuses staff define, and each order's current one per type;
- payment.py: payments and their proofs;
- refund.py: the money given back on a paid order;
- event.py: the order's append-only timeline.

`status`, `payment_status` and the custom statuses are written by orders/services/ only.
Everything is importable from here: `from orders.models import Order, Status`.
"""
# In the order the models were always declared in (each module imports those it points at).
from .choices import (
    CUSTOM_STATUS_TYPE_ORDER,
    CustomStatusType,
    FulfillmentMethod,
    Language,
    PAID_STATUSES,
    PaymentMethod,
    PaymentStatus,
    REFUNDABLE_STATUSES,
    Status,
    WhatsAppOptInSource,
)
from .order import (
    NUMBER_ALPHABET,
    Order,
    OrderLine,
    OrderQuerySet,
    money,
    new_order_number,
    new_public_token,
    validate_currency,
)
from .custom_status import CUSTOM_STATUS_NAME_FIELDS, CustomStatus, OrderCustomStatus
from .payment import PROOF_FOLDER, Payment, payment_proof_path
from .refund import Refund
from .event import OrderEvent

__all__ = [
    "CUSTOM_STATUS_NAME_FIELDS",
    "CUSTOM_STATUS_TYPE_ORDER",
    "NUMBER_ALPHABET",
    "PAID_STATUSES",
    "PROOF_FOLDER",
    "REFUNDABLE_STATUSES",
    "CustomStatus",
    "CustomStatusType",
    "FulfillmentMethod",
    "Language",
    "WhatsAppOptInSource",
    "Order",
    "OrderCustomStatus",
    "OrderEvent",
    "OrderLine",
    "OrderQuerySet",
    "Payment",
    "PaymentMethod",
    "PaymentStatus",
    "Refund",
    "Status",
    "money",
    "new_order_number",
    "new_public_token",
    "payment_proof_path",
    "validate_currency",
]
