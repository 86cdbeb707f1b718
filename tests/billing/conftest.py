from datetime import date

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from billing import services
from billing.models import CreditAccount, LedgerEntry, ServiceTier, WarningLevel


def this_month() -> date:
    return services.month_start(timezone.localdate())


def last_month() -> date:
    first = this_month()
    return date(first.year - 1, 12, 1) if first.month == 1 else date(first.year, first.month - 1, 1)


def next_month() -> date:
    return services.next_grant_date()


def start_credits(*, monthly: int = 100, purchased: int = 0, period: date | None = None, tier: str = "Start",
                  warning_level: str = WarningLevel.OK) -> CreditAccount:
    """Arrange a known starting point: an empty ledger, then one grant and one top-up row.

    Arranging only: it writes the tables directly (the ledger refuses ORM deletes on purpose).
    """
    period = period or this_month()
    services.ensure_account()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM billing_ledgerentry")
    tier_obj = ServiceTier.objects.get(name=tier)
    CreditAccount.objects.filter(pk=services.ACCOUNT_PK).update(
        tier=tier_obj, pending_tier=None, pending_tier_requested_by=None, pending_tier_requested_at=None,
        period=period, monthly_remaining=monthly, purchased=purchased, warning_level=warning_level,
    )
    if monthly:
        LedgerEntry.objects.create(kind="grant", bucket="monthly", amount=monthly, balance_after=monthly, period=period)
    if purchased:
        LedgerEntry.objects.create(kind="top_up", bucket="purchased", amount=purchased, balance_after=purchased,
                                   period=period)
    return CreditAccount.objects.get(pk=services.ACCOUNT_PK)


def account() -> CreditAccount:
    return CreditAccount.objects.select_related("tier", "pending_tier").get(pk=services.ACCOUNT_PK)


def assert_balances_equal_ledger() -> None:
    current = account()
    for bucket, value in (("monthly", current.monthly_remaining), ("purchased", current.purchased)):
        rows = LedgerEntry.objects.filter(bucket=bucket)
        assert (rows.aggregate(total=Sum("amount"))["total"] or 0) == value, bucket
        last = rows.order_by("-id").first()
        assert (last.balance_after if last else 0) == value, bucket
        assert value >= 0


@pytest.fixture
def credits(db):
    return start_credits
