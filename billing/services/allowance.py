"""The monthly allowance: the grant on the 1st (expiring what is left of the last one and applying a
pending tier), the set-up after ``migrate``, and tier changes."""
from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ..models import CreditAccount, LedgerEntry, ServiceTier
from .account import ensure_account, month_start
from .alerts import note_warning
from .ledger import Bucket, Kind, lock_account, post, save_account


def _month_label(period: date) -> str:
    return formats.date_format(period, "YEAR_MONTH_FORMAT")


def roll_over(account: CreditAccount, period: date) -> list[LedgerEntry]:
    """Expire last month's unused allowance and grant ``period``'s, once per month."""
    if account.period is not None and account.period >= period:
        return []
    operation = uuid.uuid4()
    entries = []
    with translation.override(settings.LANGUAGE_CODE):
        if account.monthly_remaining:
            entries.append(post(
                account, kind=Kind.EXPIRY, bucket=Bucket.MONTHLY, amount=-account.monthly_remaining,
                operation=operation, period=account.period,
                reason=_("Unused allowance of %(month)s") % {"month": _month_label(account.period)},
            ))
        if account.pending_tier_id:
            account.tier = account.pending_tier
            account.pending_tier = None
            account.pending_tier_requested_by = None
            account.pending_tier_requested_at = None
        account.period = period
        entries.append(post(
            account, kind=Kind.GRANT, bucket=Bucket.MONTHLY, amount=account.tier.monthly_allowance,
            operation=operation,
            reason=_("%(tier)s tier allowance for %(month)s") % {
                "tier": account.tier.name, "month": _month_label(period),
            },
        ))
    note_warning(account, may_reset=True)
    save_account(account)
    return entries


def roll_over_if_due(account: CreditAccount) -> list[LedgerEntry]:
    """A charge or top-up on the 1st before the scheduled grant ran still sees the new month."""
    return roll_over(account, month_start(timezone.localdate()))


@transaction.atomic
def grant_monthly_allowance(*, today: date | None = None) -> list[LedgerEntry]:
    """Start the month of ``today`` (default: today, in the store's time zone).

    Expires what is left of the previous month's allowance, applies a pending tier change and
    grants the tier's allowance. Running it again in the same month does nothing and returns [];
    a unique constraint on the grant's month backs that up.
    """
    account = lock_account()
    return roll_over(account, month_start(today or timezone.localdate()))


@transaction.atomic
def set_up() -> list[LedgerEntry]:
    """Create the account if needed and grant this month's allowance (run after `migrate`)."""
    ensure_account()
    return grant_monthly_allowance()


@transaction.atomic
def change_tier(*, tier: ServiceTier, by) -> CreditAccount:
    """Move the store to ``tier`` from the next monthly grant on.

    Choosing the current tier cancels a pending change. The balances do not change now.
    """
    if by is not None and not by.has_perm("billing.change_service_tier"):
        raise PermissionDenied
    account = lock_account()
    if tier.pk == account.tier_id:
        account.pending_tier = None
        account.pending_tier_requested_by = None
        account.pending_tier_requested_at = None
    else:
        account.pending_tier = tier
        account.pending_tier_requested_by = by
        account.pending_tier_requested_at = timezone.now()
    save_account(account)
    return account
