"""What every balance change goes through: the locked account row, one ledger row per bucket touched,
and the account saved with the fields a change may touch."""
from __future__ import annotations

import uuid
from datetime import date

from ..models import CreditAccount, LedgerEntry
from .account import ACCOUNT_PK, ensure_account
from .errors import InsufficientCredits

Kind = LedgerEntry.Kind
Bucket = LedgerEntry.Bucket


def lock_account() -> CreditAccount:
    """The account row, locked until the transaction ends (created first if it does not exist)."""
    try:
        return CreditAccount.objects.select_for_update().get(pk=ACCOUNT_PK)
    except CreditAccount.DoesNotExist:
        ensure_account()
        return CreditAccount.objects.select_for_update().get(pk=ACCOUNT_PK)


def save_account(account: CreditAccount) -> None:
    account.save(update_fields=[
        "tier", "pending_tier", "pending_tier_requested_by", "pending_tier_requested_at",
        "period", "monthly_remaining", "purchased", "warning_level", "updated_at",
    ])


def post(account: CreditAccount, *, kind: str, bucket: str, amount: int, operation: uuid.UUID,
         period: date | None = None, **fields) -> LedgerEntry:
    """Apply ``amount`` to a bucket of the (locked) account and append its ledger row."""
    field = "monthly_remaining" if bucket == Bucket.MONTHLY else "purchased"
    after = getattr(account, field) + amount
    if after < 0:  # callers check first; this is the last line of defence
        raise InsufficientCredits(needed=-amount, available=getattr(account, field))
    setattr(account, field, after)
    return LedgerEntry.objects.create(
        kind=kind, bucket=bucket, amount=amount, balance_after=after,
        period=period or account.period, operation=operation, **fields,
    )


def check_count(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, not {type(value).__name__}")
    return value
