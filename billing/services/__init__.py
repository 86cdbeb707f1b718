"""Every change of the SMS credit balances happens here, and only here.

Each change runs in one transaction: lock the credit account row (``select_for_update``),
roll the monthly allowance over if a new month has begun, check, write one ledger row per
bucket touched, save the account. The balances therefore always equal the ledger's sums, and
concurrent workers charging at once can never take the balance below zero.

A package by responsibility; import from ``billing.services``:

- ``errors``: ``BillingError``, ``InsufficientCredits``, ``MessageTooLong``;
- ``account``: the store's one account and reading it (``ensure_account``, ``balance``, the month);
- ``ledger``: the account lock and the posting of ledger rows every change goes through;
- ``alerts``: the low-balance threshold and the store's warning email;
- ``allowance``: the monthly grant and roll-over, the set-up after ``migrate``, tier changes;
- ``charging``: paying for an SMS or a WhatsApp message, refunding a paid message (the notifications app);
- ``credits``: purchased credits (top-ups) and manual corrections.

Interface used by the notifications app::

    charge_sms(*, segments, notification_id, reason="") -> LedgerEntry
    charge_whatsapp(*, phone, notification_id, reason="") -> LedgerEntry  (priced by country)
    refund_notification(*, notification_id, reason) -> list[LedgerEntry]
    balance() -> Balance
    MAX_SMS_SEGMENTS, InsufficientCredits, MessageTooLong
"""
from ..sms import MAX_SMS_SEGMENTS, WARN_SMS_SEGMENTS
from .account import ACCOUNT_PK, Balance, balance, ensure_account, month_start, next_grant_date
from .allowance import change_tier, grant_monthly_allowance, set_up
from .charging import charge_sms, charge_whatsapp, refund_notification, whatsapp_price
from .credits import adjust, top_up
from .errors import BillingError, InsufficientCredits, MessageTooLong
from .alerts import send_warning_email, warning_level, warning_threshold

__all__ = [
    "ACCOUNT_PK", "MAX_SMS_SEGMENTS", "WARN_SMS_SEGMENTS", "Balance", "BillingError", "InsufficientCredits",
    "MessageTooLong", "adjust", "balance", "change_tier", "charge_sms", "charge_whatsapp", "ensure_account",
    "grant_monthly_allowance", "month_start", "next_grant_date", "refund_notification", "send_warning_email",
    "set_up", "top_up", "warning_level", "warning_threshold", "whatsapp_price",
]
