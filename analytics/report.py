"""The numbers of the status report, read from the orders' timeline (`orders.OrderEvent`).

An order *enters* a status when a timeline row says so: `placed` (to `pending`) and
`status_changed` rows for the core statuses, which always count; `custom_status` rows for the
custom statuses flagged "include in analytics" (a status unflagged later leaves the report,
its history included).

Days are the store's days (`settings.TIME_ZONE`). Every function here costs a fixed number of
queries, whatever the number of orders or days. Closed days' counts are kept in a daily rollup
(analytics/rollup.py), read here beside today's live count; so are the times between two statuses
(analytics/durations.py).
"""
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from .durations import TimeBetween, percentile_cont, time_between
from .selection import CORE, ENTERED_CORE_STATUS, Filters, StatusOption, entered_any, status_options

__all__ = [
    "CORE", "ENTERED_CORE_STATUS", "Filters", "StatusOption", "StatusReport", "TimeBetween", "build", "daily_counts",
    "entered_any", "percentile_cont", "status_options", "time_between",
]


def daily_counts(filters: Filters, options: list[StatusOption]) -> dict[tuple[date, str], int]:
    """{(day, status key): orders that entered that status that day}. An order entering a status
    twice the same day counts once. Closed days rolled up (analytics/rollup.py) are read from the
    kept counts, the others (today) from the timeline: at most three queries."""
    from .models import RolledUpDay

    custom_keys = {option.custom_status_id: option.key for option in options if option.custom_status_id is not None}
    rolled = set(RolledUpDay.objects.filter(day__gte=filters.start, day__lte=filters.end).values_list("day", flat=True))
    counts = _rolled_up_counts(filters, options, rolled) if rolled else []
    live_days = [day for day in filters.days if day not in rolled]
    if live_days:
        # Only the days not rolled up (today; days before the first event; a day the schedule missed),
        # never the kept days between them.
        live = replace(filters, start=live_days[0], end=live_days[-1])
        within = Q()
        for first, last in _spans(live_days):
            since, until = replace(filters, start=first, end=last).bounds()
            within |= Q(created_at__gte=since, created_at__lt=until)
        counts += [
            row for row in (
                live.events()
                .filter(within)
                .filter(entered_any(options))
                .annotate(day=TruncDate("created_at", tzinfo=timezone.get_default_timezone()))
                .values("day", "to_status", "custom_status_id")
                .annotate(orders=Count("order_id", distinct=True))
            )
            if row["day"] not in rolled
        ]
    totals: dict[tuple[date, str], int] = {}
    for row in counts:
        key = (row["day"], custom_keys[row["custom_status_id"]] if row["custom_status_id"] else row["to_status"])
        totals[key] = totals.get(key, 0) + row["orders"]
    return totals


def _spans(days: list[date]) -> list[tuple[date, date]]:
    """Sorted days as (first, last) runs of consecutive days."""
    spans = []
    for day in days:
        if spans and day == spans[-1][1] + timedelta(days=1):
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    return spans


def _rolled_up_counts(filters: Filters, options: list[StatusOption], rolled: set[date]) -> list[dict]:
    from .models import DailyStatusCount

    core = [option.code for option in options if option.custom_status_id is None]
    custom = [option.custom_status_id for option in options if option.custom_status_id is not None]
    rows = DailyStatusCount.objects.filter(day__gte=min(rolled), day__lte=max(rolled)).filter(
        Q(custom_status__isnull=True, to_status__in=core) | Q(custom_status_id__in=custom)
    )
    if filters.payment_methods:
        rows = rows.filter(payment_method__in=filters.payment_methods)
    if filters.storefront_id:
        rows = rows.filter(storefront_id=filters.storefront_id)
    rows = rows.order_by().values("day", "to_status", "custom_status_id").annotate(orders=Sum("orders"))
    return [row for row in rows if row["day"] in rolled]


@dataclass(frozen=True)
class Row:
    """One status over the days: its count per day and its total."""

    option: StatusOption
    style: int  # the status's place among all options: its colour in the chart
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class StatusReport:
    filters: Filters
    days: list[date]
    rows: list[Row]  # the statuses some order entered in the period
    idle: list[StatusOption]  # the statuses no order entered in the period
    between: TimeBetween

    def table(self) -> list[tuple[date, list[int]]]:
        """(day, counts in the order of `rows`) for each day."""
        return [(day, [row.counts[index] for row in self.rows]) for index, day in enumerate(self.days)]


def build(filters: Filters, options: list[StatusOption], pair: tuple[StatusOption, StatusOption]) -> StatusReport:
    """The whole report in two queries."""
    counts = daily_counts(filters, options)
    days = filters.days
    rows, idle = [], []
    for index, option in enumerate(options):
        row = Row(option=option, style=index, counts=[counts.get((day, option.key), 0) for day in days])
        (rows if row.total else idle).append(row if row.total else option)
    return StatusReport(filters=filters, days=days, rows=rows, idle=idle, between=time_between(filters, *pair))
