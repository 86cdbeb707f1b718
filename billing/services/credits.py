"""Purchased credits (top-ups, which never expire) and manual corrections by a superuser."""
from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ..models import LedgerEntry
from .alerts import note_warning
from .allowance import roll_over_if_due
from .errors import InsufficientCredits
from .ledger import Bucket, Kind, check_count, lock_account, post, save_account


@transaction.atomic
def top_up(*, amount: int, by, reference: str, reason: str = "",
           idempotency_key: uuid.UUID | None = None) -> tuple[LedgerEntry, bool]:
    """Add purchased credits (they never expire). Returns ``(entry, applied)``.

    With an ``idempotency_key`` (the top-up form's one-time token), a second call with the same
    key applies nothing and returns the first entry with ``applied=False``.
    """
    amount = check_count(amount, "amount")
    if amount < 1:
        raise ValueError("a top-up adds at least one credit")
    if by is not None and not by.has_perm("billing.top_up_credits"):
        raise PermissionDenied
    account = lock_account()
    roll_over_if_due(account)
    if idempotency_key is not None:
        existing = LedgerEntry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    entry = post(
        account, kind=Kind.TOP_UP, bucket=Bucket.PURCHASED, amount=amount, operation=uuid.uuid4(),
        created_by=by, reference=reference.strip()[:100], reason=reason.strip()[:255],
        idempotency_key=idempotency_key,
    )
    note_warning(account, may_reset=True)
    save_account(account)
    return entry, True


@transaction.atomic
def adjust(*, bucket: str, amount: int, by, reason: str,
           idempotency_key: uuid.UUID | None = None) -> tuple[LedgerEntry, bool]:
    """A manual correction of one bucket (positive or negative), with its reason; superusers only.

    Returns ``(entry, applied)`` like ``top_up``. Raises ``InsufficientCredits`` when it would
    take the bucket below zero.
    """
    amount = check_count(amount, "amount")
    if amount == 0:
        raise ValueError("an adjustment changes the balance")
    if bucket not in Bucket.values:
        raise ValueError(f"unknown bucket {bucket!r}")
    if not reason.strip():
        raise ValueError("an adjustment needs a reason")
    if by is not None and not by.is_superuser:
        raise PermissionDenied
    account = lock_account()
    roll_over_if_due(account)
    if idempotency_key is not None:
        existing = LedgerEntry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    available = account.monthly_remaining if bucket == Bucket.MONTHLY else account.purchased
    if available + amount < 0:
        raise InsufficientCredits(needed=-amount, available=available)
    entry = post(
        account, kind=Kind.ADJUSTMENT, bucket=bucket, amount=amount, operation=uuid.uuid4(),
        created_by=by, reason=reason.strip()[:255], idempotency_key=idempotency_key,
    )
    note_warning(account, may_reset=amount > 0)
    save_account(account)
    return entry, True
