"""The numbers of the status report, read from the orders' timeline (`orders.OrderEvent`).

An order *enters* a status when a timeline row says so: `placed` (to `pending`) and
`status_changed` rows for the core statuses, which always count; `custom_status` rows for the
custom statuses flagged "include in analytics" (a status unflagged later leaves the report,
its history included).

Days are the store's days (`settings.TIME_ZONE`). Every function here costs a fixed number of
queries, whatever the number of orders or days. Closed days' counts are kept in a daily rollup
(analytics/rollup.py), read here beside today's live count.
"""
import math
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from orders.models import CUSTOM_STATUS_TYPE_ORDER, CustomStatus, OrderEvent, Status

CORE = "core"
ENTERED_CORE_STATUS = (OrderEvent.Kind.PLACED, OrderEvent.Kind.STATUS_CHANGED)


@dataclass(frozen=True)
class StatusOption:
    """A status the report counts. `key` is what forms, URLs and the CSV carry: the code of a core
    status ("shipped"), type:code for a custom one ("delivery:out_for_delivery")."""

    key: str
    type: str  # "core", or the custom status's type
    code: str
    name: str  # in the active language
    custom_status_id: int | None = None

    def entered(self) -> Q:
        """The timeline rows that mean "the order entered this status"."""
        if self.custom_status_id is not None:
            return Q(kind=OrderEvent.Kind.CUSTOM_STATUS, custom_status_id=self.custom_status_id)
        return Q(kind__in=ENTERED_CORE_STATUS, to_status=self.code)


def status_options() -> list[StatusOption]:
    """Every status the report counts: the core ones in lifecycle order, then the custom ones flagged
    "include in analytics" by type (delivery, payment, general) and position. One query."""
    options = [
        StatusOption(key=status.value, type=CORE, code=status.value, name=str(status.label)) for status in Status
    ]
    custom = sorted(
        CustomStatus.objects.filter(include_in_analytics=True),
        key=lambda status: (CUSTOM_STATUS_TYPE_ORDER.get(status.type, len(CUSTOM_STATUS_TYPE_ORDER)), status.position,
                            status.pk),
    )
    options += [
        StatusOption(key=f"{status.type}:{status.code}", type=status.type, code=status.code, name=status.label,
                     custom_status_id=status.pk)
        for status in custom
    ]
    return options


def entered_any(options: list[StatusOption]) -> Q:
    """The timeline rows that mean "the order entered one of these statuses"."""
    core = [option.code for option in options if option.custom_status_id is None]
    custom = [option.custom_status_id for option in options if option.custom_status_id is not None]
    entered = Q(kind__in=ENTERED_CORE_STATUS, to_status__in=core)
    if custom:
        entered |= Q(kind=OrderEvent.Kind.CUSTOM_STATUS, custom_status_id__in=custom)
    return entered


@dataclass(frozen=True)
class Filters:
    start: date  # first day, inclusive
    end: date  # last day, inclusive
    payment_methods: tuple[str, ...] = ()  # empty: every method
    storefront_id: int | None = None

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=offset) for offset in range((self.end - self.start).days + 1)]

    def bounds(self) -> tuple[datetime, datetime]:
        """From the store's midnight starting the first day to the one ending the last day."""
        zone = timezone.get_default_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )

    def events(self) -> QuerySet:
        """Timeline rows within the days, of the orders the filters select."""
        since, until = self.bounds()
        events = OrderEvent.objects.filter(created_at__gte=since, created_at__lt=until)
        if self.payment_methods:
            events = events.filter(order__payment_method__in=self.payment_methods)
        if self.storefront_id:
            events = events.filter(order__storefront_id=self.storefront_id)
        return events.order_by()


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
class TimeBetween:
    """How long orders took from one status to another: median and 90th percentile, in seconds."""

    start: StatusOption
    end: StatusOption
    orders: int
    median: float | None
    p90: float | None


def time_between(filters: Filters, start: StatusOption, end: StatusOption, *,
                 in_sql: bool | None = None) -> TimeBetween:
    """For each selected order that entered `start` and later `end` within the days: the first time
    it entered `end` (at or after it entered `start`) minus the first time it entered `start`.
    PostgreSQL computes the percentiles (percentile_cont); elsewhere Python does, the same way
    (`in_sql` forces one or the other). One query."""
    since, until = filters.bounds()
    firsts = filters.events().filter(start.entered()).values("order_id").annotate(first_at=Min("created_at"))
    arrivals = (
        OrderEvent.objects.filter(end.entered(), created_at__gte=since, created_at__lt=until)
        .order_by()
        .values("order_id", "created_at")
    )
    firsts_sql, firsts_params = firsts.query.sql_with_params()
    arrivals_sql, arrivals_params = arrivals.query.sql_with_params()
    # `a` holds one row per order: grouped by the order alone, the join's rows arrive in the order the
    # aggregate wants them.
    pairs = (
        f"SELECT a.order_id, MIN(a.first_at) AS first_at, MIN(b.created_at) AS reached_at"
        f" FROM ({firsts_sql}) a JOIN ({arrivals_sql}) b"
        f" ON b.order_id = a.order_id AND b.created_at >= a.first_at"
        f" GROUP BY a.order_id"
    )
    params = (*firsts_params, *arrivals_params)
    with connection.cursor() as cursor:
        if in_sql if in_sql is not None else connection.vendor == "postgresql":
            with _streamed(cursor):
                cursor.execute(
                    "SELECT COUNT(*),"
                    " percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds),"
                    " percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds)"
                    f" FROM (SELECT EXTRACT(EPOCH FROM (reached_at - first_at))::float8 AS seconds FROM ({pairs}) p) s",
                    params,
                )
                orders, median, p90 = cursor.fetchone()
            return TimeBetween(start=start, end=end, orders=orders, median=median, p90=p90)
        cursor.execute(f"SELECT first_at, reached_at FROM ({pairs}) p", params)
        seconds = sorted((_as_datetime(reached) - _as_datetime(first)).total_seconds() for first, reached in cursor)
    return TimeBetween(
        start=start, end=end, orders=len(seconds),
        median=percentile_cont(seconds, 0.5), p90=percentile_cont(seconds, 0.9),
    )


# How PostgreSQL runs the time-between statement (for it alone, then put back). Its two sides come
# sorted by order from the indexes on (status, order, time) (orders.OrderEvent's Meta), so a merge join
# and aggregates that read sorted rows need no hash table: over a year at a million orders the hash
# plans the planner prefers spill to disk and take about three times as long. One process does it
# (gathering half a million sorted rows from parallel workers costs more than it saves), with the
# memory to sort the durations for the percentiles without a temporary file.
STREAMED_PLAN = {
    "enable_hashagg": "off", "enable_hashjoin": "off", "max_parallel_workers_per_gather": "0", "work_mem": "32MB",
}


@contextmanager
def _streamed(cursor):
    """STREAMED_PLAN for the statements run within: local to a transaction of their own, or, inside
    a caller's transaction, put back to the session's values right after (one statement each way)."""
    names = list(STREAMED_PLAN)
    inside = connection.in_atomic_block
    with transaction.atomic(savepoint=False):
        cursor.execute("SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)),
                       [item for pair in STREAMED_PLAN.items() for item in pair])
        yield
        if inside:
            cursor.execute("SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name = ANY(%s)", [names])


def _as_datetime(value) -> datetime:
    return value if isinstance(value, datetime) else parse_datetime(value)


def percentile_cont(ordered: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont over sorted values: linear interpolation between neighbours."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    below, above = math.floor(position), math.ceil(position)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


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
