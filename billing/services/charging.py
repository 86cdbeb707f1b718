"""Paying for a message and refunding a paid one (called by the notifications app): an SMS by its
segments, a WhatsApp message by the price of its destination country (WhatsAppPrice)."""
from __future__ import annotations

import uuid

import phonenumbers
from django.db import transaction

from ..models import LedgerEntry, WhatsAppPrice
from ..sms import MAX_SMS_SEGMENTS
from .alerts import note_warning
from .allowance import roll_over_if_due
from .errors import InsufficientCredits, MessageTooLong
from .ledger import Bucket, Kind, check_count, lock_account, post, save_account


def _outstanding_charge(notification_id: int) -> list[LedgerEntry]:
    return list(
        LedgerEntry.objects.filter(kind=Kind.CHARGE, notification_id=notification_id, refund__isnull=True)
        .order_by("id")
    )


@transaction.atomic
def _charge(*, credits: int, notification_id: int, reason: str) -> LedgerEntry | InsufficientCredits:
    account = lock_account()
    roll_over_if_due(account)
    existing = _outstanding_charge(notification_id)
    if existing:
        return existing[0]
    if account.total < credits:
        return InsufficientCredits(needed=credits, available=account.total)
    operation = uuid.uuid4()
    from_monthly = min(account.monthly_remaining, credits)
    entries = []
    for bucket, amount in ((Bucket.MONTHLY, from_monthly), (Bucket.PURCHASED, credits - from_monthly)):
        if amount:
            entries.append(post(
                account, kind=Kind.CHARGE, bucket=bucket, amount=-amount, operation=operation,
                notification_id=notification_id, reason=reason,
            ))
    note_warning(account, may_reset=False)
    save_account(account)
    return entries[0]


def charge_sms(*, segments: int, notification_id: int, reason: str = "") -> LedgerEntry:
    """Pay ``segments`` credits for one SMS: the monthly allowance first, then purchased credits.

    Atomic and safe under concurrency: the account row is locked for the whole check-and-debit.
    A charge that spans both buckets writes two ledger rows sharing ``operation``; the first
    (monthly) one is returned. Idempotent per notification: while ``notification_id`` has a
    charge that was not refunded, that charge is returned and nothing more is debited.

    Raises ``MessageTooLong`` above ``MAX_SMS_SEGMENTS`` and ``InsufficientCredits`` when the
    total balance cannot pay (nothing is debited; the balance never goes negative).
    ``segments`` must be at least 1 (an empty SMS is never sent).
    """
    segments = check_count(segments, "segments")
    if segments < 1:
        raise ValueError("an SMS costs at least one segment; an empty SMS is never sent")
    if segments > MAX_SMS_SEGMENTS:
        raise MessageTooLong(segments=segments)
    notification_id = check_count(notification_id, "notification_id")
    return _charge_or_raise(credits=segments, notification_id=notification_id, reason=reason)


def _charge_or_raise(*, credits: int, notification_id: int, reason: str) -> LedgerEntry:
    # Returned rather than raised inside the transaction, so a monthly roll-over done on the
    # way is kept even when the message cannot be paid.
    result = _charge(credits=credits, notification_id=notification_id, reason=reason[:255])
    if isinstance(result, InsufficientCredits):
        raise result
    return result


def whatsapp_country(phone: str) -> str:
    """The country (ISO 3166 code) of an E.164 number, '' if it cannot be told."""
    try:
        number = phonenumbers.parse(str(phone), None)
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.region_code_for_number(number) or ""


def whatsapp_price(phone: str) -> int:
    """The credits one WhatsApp message to this number costs: its country's price, else the default
    row's (the row without a country), else 1."""
    country = whatsapp_country(phone)
    prices = dict(WhatsAppPrice.objects.filter(country__in=[country, ""]).values_list("country", "credits"))
    return prices.get(country) or prices.get("") or 1


def charge_whatsapp(*, phone: str, notification_id: int, reason: str = "") -> LedgerEntry:
    """Pay one WhatsApp message to ``phone`` at its country's price, like ``charge_sms``: from the
    monthly allowance first, once per notification while not refunded, never below zero
    (``InsufficientCredits``, nothing debited)."""
    notification_id = check_count(notification_id, "notification_id")
    return _charge_or_raise(credits=whatsapp_price(phone), notification_id=notification_id, reason=reason)


@transaction.atomic
def refund_notification(*, notification_id: int, reason: str) -> list[LedgerEntry]:
    """Give back the notification's outstanding charge (an SMS's or a WhatsApp message's), once; []
    when there is none.

    Any charged notification (an SMS today): the charge is found by the notification's id, whatever
    its channel; a refund is posted once however often it is asked for (a provider's failure report
    posted twice, at once).

    Credits go back to the bucket they came from. A charge from a monthly allowance that has
    since been rolled over (a send that failed across midnight on the 1st) is refunded as
    purchased credits: the store paid for that SMS and did not get it, and the old month's
    allowance no longer exists. A later resend of the same notification is charged again.
    """
    notification_id = check_count(notification_id, "notification_id")
    account = lock_account()
    roll_over_if_due(account)
    charges = _outstanding_charge(notification_id)
    if not charges:
        return []
    operation = uuid.uuid4()
    refunds = []
    for charge in charges:
        bucket = charge.bucket
        if bucket == Bucket.MONTHLY and charge.period != account.period:
            bucket = Bucket.PURCHASED
        refunds.append(post(
            account, kind=Kind.REFUND, bucket=bucket, amount=-charge.amount, operation=operation,
            notification_id=notification_id, refund_of=charge, reason=reason[:255],
        ))
    note_warning(account, may_reset=False)
    save_account(account)
    return refunds
