"""Every change of an order's status or payment status happens here, and only here.

Each move runs in one transaction: lock the order row, check the move against the
transition table and the payment gate, save, append a timeline event, then send the
signal (inside the transaction, so the notification outbox commits with the change).

One module per kind of change, all importable from here (`from orders import services;
services.accept(...)`):

- lifecycle.py: the rule book (TRANSITIONS, the payment gates, check_move, allowed_moves,
  next_action) and the refusal every change raises, TransitionNotAllowed;
- moves.py: accept, start_preparation, ship, mark_ready_for_pickup, finalize, cancel;
- payments.py: register_payment;
- refunds.py: register_refund, and what may still be refunded (refundable_amount, refund_refusal);
- placing.py: place_order, and record_oversold (the inventory's flag on a placed order);
- custom_statuses.py: set_custom_status, clear_custom_status;
- changes.py: mark_changed (another app changed what the order shows: its payment link);
- unpaid.py: sweep_unpaid (the one payment reminder of an unpaid transfer or payment link order,
  and its cancellation by the system after UNPAID_CANCEL_DAYS);
- consent.py: set_whatsapp_opt_in (the customer's answer to WhatsApp updates, where and when);
- details.py: update_contact (a correction of the customer's contact or delivery details, e.g. from
  the store platform), redact_customer (erasing them on request).
"""
from .changes import mark_changed
from .consent import set_whatsapp_opt_in
from .custom_statuses import (
    CustomStatusNotFound,
    clear_custom_status,
    get_custom_status,
    set_custom_status,
)
from .details import REDACTED_NAME, redact_customer, update_contact
from .lifecycle import (
    ACCEPT_UNPAID_REASONS,
    FINALIZE_UNPAID_REASONS,
    MOVE_REFUSED_REASONS,
    MOVES,
    PAID_BEFORE_ACCEPT,
    TRANSITIONS,
    NextAction,
    TransitionNotAllowed,
    allowed_moves,
    check_move,
    next_action,
)
from .moves import accept, cancel, finalize, mark_ready_for_pickup, ship, start_preparation
from .payments import register_payment
from .placing import NUMBER_DRAWS, place_order, record_oversold
from .refunds import refund_refusal, refundable_amount, register_refund
from .unpaid import cancel_unpaid, remind_unpaid, sweep_unpaid

__all__ = [
    "set_whatsapp_opt_in",
    "ACCEPT_UNPAID_REASONS",
    "FINALIZE_UNPAID_REASONS",
    "MOVE_REFUSED_REASONS",
    "MOVES",
    "NUMBER_DRAWS",
    "PAID_BEFORE_ACCEPT",
    "REDACTED_NAME",
    "TRANSITIONS",
    "CustomStatusNotFound",
    "NextAction",
    "TransitionNotAllowed",
    "accept",
    "allowed_moves",
    "cancel",
    "cancel_unpaid",
    "check_move",
    "clear_custom_status",
    "finalize",
    "get_custom_status",
    "mark_changed",
    "mark_ready_for_pickup",
    "next_action",
    "place_order",
    "record_oversold",
    "redact_customer",
    "refund_refusal",
    "refundable_amount",
    "register_payment",
    "register_refund",
    "remind_unpaid",
    "set_custom_status",
    "ship",
    "start_preparation",
    "sweep_unpaid",
    "update_contact",
]
