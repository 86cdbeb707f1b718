"""What a report covers: the statuses it counts (core ones, and the custom ones flagged "include in
analytics") and the days and orders it reads (`Filters`). The report's numbers (analytics/report.py)
and the kept time between two statuses (analytics/durations.py) read the timeline through these."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

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
