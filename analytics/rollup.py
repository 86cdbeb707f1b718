"""The report's daily counts kept per closed day, so a year's report reads a small table.

`roll_up_closed_days` (a daily django-q2 schedule, analytics/schedules.py) adds the store days
that ended since the last run; `rebuild` (`manage.py rebuild_status_rollup`) recomputes any range.
Both do the same for the times between two statuses kept for the pairs the report was asked about
(analytics/durations.py).
Each day is computed from the timeline as report.daily_counts does, grouped also by the order's
payment method and storefront, and marked in RolledUpDay. The report reads marked days from here
and every other day (today, or a day not rolled up yet) live from the timeline: the numbers are
the same either way.
"""
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from orders.models import OrderEvent

from . import durations
from .models import DailyStatusCount, DurationPair, RolledUpDay
from .selection import ENTERED_CORE_STATUS, Filters

ENTERED_ANY_STATUS = Q(kind__in=ENTERED_CORE_STATUS) | Q(kind=OrderEvent.Kind.CUSTOM_STATUS)


def last_closed_day() -> date:
    return timezone.localdate() - timedelta(days=1)


def rebuild(start: date, end: date) -> int:
    """Recompute the closed days from `start` to `end` (inclusive; today and later are left to the
    live query), counts and kept pairs. Returns the number of days rolled up."""
    end = min(end, last_closed_day())
    if end < start:
        return 0
    days = _rebuild_counts(start, end)
    for key in DurationPair.objects.values_list("pair", flat=True):
        durations.roll_up_pair(key, end, start=start, first_day=first_event_day())
    return days


def _rebuild_counts(start: date, end: date) -> int:
    """The daily counts of closed days from `start` to `end`: three statements, in one transaction."""
    rows = (
        Filters(start=start, end=end).events()
        .filter(ENTERED_ANY_STATUS)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_default_timezone()))
        .values("day", "to_status", "custom_status_id", method=F("order__payment_method"),
                shop=F("order__storefront_id"))
        .annotate(orders=Count("order_id", distinct=True))
    )
    days = Filters(start=start, end=end).days
    with transaction.atomic():
        DailyStatusCount.objects.filter(day__gte=start, day__lte=end).delete()
        DailyStatusCount.objects.bulk_create([
            DailyStatusCount(
                day=row["day"], to_status="" if row["custom_status_id"] else row["to_status"],
                custom_status_id=row["custom_status_id"], payment_method=row["method"], storefront_id=row["shop"],
                orders=row["orders"],
            )
            for row in rows
        ], batch_size=2000)
        RolledUpDay.objects.bulk_create(
            [RolledUpDay(day=day) for day in days], batch_size=2000,
            update_conflicts=True, unique_fields=["day"], update_fields=["rolled_up_at"],
        )
    return len(days)


def first_event_day() -> date | None:
    first = OrderEvent.objects.order_by().aggregate(first=Min("created_at"))["first"]
    return timezone.localdate(first) if first else None


def roll_up_closed_days() -> int:
    """Roll up the closed days after the last one rolled up (from the first event on a first run),
    then each kept pair's days after its last kept one; drop the pairs nobody asked about lately."""
    last = RolledUpDay.objects.order_by("-day").values_list("day", flat=True).first()
    start = last + timedelta(days=1) if last else first_event_day()
    days = _rebuild_counts(start, last_closed_day()) if start and start <= last_closed_day() else 0
    forgotten = timezone.localdate() - timedelta(days=durations.KEEP_UNASKED_DAYS)
    for key in DurationPair.objects.filter(asked_on__lt=forgotten).values_list("pair", flat=True):
        durations.forget_pair(key, asked_before=forgotten)
    for key in DurationPair.objects.values_list("pair", flat=True):
        durations.roll_up_pair(key, last_closed_day(), first_day=first_event_day())
    return days


def roll_up_pair(key: str) -> int:
    """Keep a pair's times through the last closed day (a pair the report was just asked about)."""
    return durations.roll_up_pair(key, last_closed_day(), first_day=first_event_day())
