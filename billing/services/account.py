"""The store's one credit account, the billing month, and reading the balances."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Sum
from django.utils import timezone

from ..models import CreditAccount, LedgerEntry, ServiceTier
from ..seeds import TIERS
from .alerts import warning_level, warning_threshold

ACCOUNT_PK = 1


@dataclass(frozen=True)
class Balance:
    monthly_remaining: int
    purchased: int
    total: int
    tier: ServiceTier
    pending_tier: ServiceTier | None
    monthly_allowance: int
    period: date | None  # the month the monthly allowance belongs to (its first day)
    sent_this_month: int  # SMS paid this calendar month and not refunded
    credits_used_this_month: int  # their segments
    warning: str  # WarningLevel: "ok", "low" (below the threshold) or "empty"
    warning_threshold: int  # credits; "low" below this


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_grant_date(today: date | None = None) -> date:
    """The first day of next month: when the next allowance (and a pending tier) starts."""
    today = today or timezone.localdate()
    if today.month == 12:
        return date(today.year + 1, 1, 1)
    return date(today.year, today.month + 1, 1)


def ensure_account() -> CreditAccount:
    """The store's credit account, created on the smallest tier if it does not exist yet.

    The tiers are seeded by `seed_reference_data` (billing/seeds.py); on a database that has no tier at
    all (the grant after `migrate` runs before any seeding) they are created here from the same list.
    """
    account = CreditAccount.objects.select_related("tier", "pending_tier").filter(pk=ACCOUNT_PK).first()
    if account is not None:
        return account
    if not ServiceTier.objects.exists():
        ServiceTier.objects.bulk_create(
            [ServiceTier(name=name, monthly_allowance=allowance) for name, allowance in TIERS],
            ignore_conflicts=True,
        )
    tier = ServiceTier.objects.order_by("monthly_allowance", "pk").first()
    account, _created = CreditAccount.objects.get_or_create(pk=ACCOUNT_PK, defaults={"tier": tier})
    return account


def balance() -> Balance:
    """The balances, the tier and this month's use, for the admin widget and other apps."""
    account = ensure_account()
    start = timezone.make_aware(datetime.combine(month_start(timezone.localdate()), time.min))
    used = LedgerEntry.objects.filter(
        kind=LedgerEntry.Kind.CHARGE, created_at__gte=start, refund__isnull=True
    ).aggregate(messages=Count("notification_id", distinct=True), credits=Sum("amount"))
    allowance = account.tier.monthly_allowance
    return Balance(
        monthly_remaining=account.monthly_remaining,
        purchased=account.purchased,
        total=account.total,
        tier=account.tier,
        pending_tier=account.pending_tier,
        monthly_allowance=allowance,
        period=account.period,
        sent_this_month=used["messages"] or 0,
        credits_used_this_month=-(used["credits"] or 0),
        warning=warning_level(total=account.total, allowance=allowance),
        warning_threshold=warning_threshold(allowance),
    )
