from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checkouts.models import Checkout
from checkouts.services import recovery_rate_by_week
from tests.factories import storefront

pytestmark = pytest.mark.django_db

# Wednesday 11 March 2026, 15:00 in the store's time zone: this week starts Monday 9 March.
NOW = timezone.make_aware(datetime(2026, 3, 11, 15, 0))


def add(shop, number: int, started: datetime, status="open", reminded=False):
    return Checkout.objects.create(
        storefront=shop, external_id=f"C-{number}", resume_url="https://shop.example.com/r", currency="ARS",
        created_at=started, last_activity_at=started, status=status,
        reminded_at=started + timedelta(hours=2) if reminded else None,
        recovered_at=started + timedelta(hours=3) if status == "recovered" else None,
    )


def local(*args):
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def known_weeks():
    shop, other = storefront("Tienda Palermo"), storefront("Tienda Recoleta")
    # This week (from Mon 9 March): 4 started, 3 reminded, 2 recovered, 1 of them after its reminder.
    add(shop, 1, local(2026, 3, 9, 0, 30), "recovered", reminded=True)
    add(shop, 2, local(2026, 3, 9, 10), "recovered")
    add(shop, 3, local(2026, 3, 10, 9), "reminded", reminded=True)
    add(other, 4, local(2026, 3, 11, 8), "expired", reminded=True)
    # Last week (from Mon 2 March): 3 started, 2 reminded, 2 recovered after the reminder.
    add(shop, 5, local(2026, 3, 2, 12), "recovered", reminded=True)
    add(shop, 6, local(2026, 3, 8, 23, 30), "recovered", reminded=True)  # Sunday night, local time
    add(shop, 7, local(2026, 3, 6, 12), "open")
    # Two weeks ago: nothing. Outside the 4 weeks shown:
    add(shop, 8, local(2026, 2, 1, 12), "recovered", reminded=True)
    return shop, other


def test_the_weekly_numbers_on_a_known_data_set(known_weeks):
    rows = recovery_rate_by_week(weeks=4, now=NOW)

    assert [row.week.date().isoformat() for row in rows] == ["2026-03-09", "2026-03-02", "2026-02-23", "2026-02-16"]
    numbers = [(r.started, r.reminded, r.recovered, r.recovered_after_reminder, r.rate) for r in rows]
    assert numbers == [
        (4, 3, 2, 1, Decimal("33.3")),
        (3, 2, 2, 2, Decimal("100.0")),
        (0, 0, 0, 0, None),
        (0, 0, 0, 0, None),
    ]


def test_the_numbers_of_one_storefront(known_weeks):
    shop, other = known_weeks

    rows = recovery_rate_by_week(weeks=1, now=NOW, storefront_id=other.pk)

    assert [(r.started, r.reminded, r.recovered, r.rate) for r in rows] == [(1, 1, 0, Decimal("0.0"))]


def test_the_report_is_one_query_whatever_the_number_of_checkouts(known_weeks):
    shop, _ = known_weeks
    with CaptureQueriesContext(connection) as few:
        recovery_rate_by_week(weeks=12, now=NOW)
    for number in range(100, 160):
        add(shop, number, NOW - timedelta(days=number % 70), "recovered", reminded=number % 2 == 0)
    with CaptureQueriesContext(connection) as many:
        rows = recovery_rate_by_week(weeks=12, now=NOW)

    assert len(few) == len(many) == 1
    assert sum(row.started for row in rows) > 60
