"""Every change to a checkout: the storefront's report, recovery by an order, the reminder and
expiry sweep. The only sender of checkouts.signals.checkout_abandoned.

A checkout moves open -> reminded (once, after the recovery delay) and ends recovered (an order
completed it) or expired (not recovered within the expiry age). Recovered and expired checkouts
are never reopened.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.models import Order
from storefronts.models import Storefront

from . import signals
from .models import Checkout

logger = logging.getLogger(__name__)

Status = Checkout.Status
SWEEP_BATCH = 500  # checkouts reminded per sweep at most; the next sweep takes the rest


class CheckoutClosed(Exception):
    """A report for a checkout that is already recovered or expired: it is not reopened."""

    def __init__(self, checkout: Checkout):
        self.checkout = checkout
        self.code = f"checkout_{checkout.status}"
        if checkout.status == Status.RECOVERED:
            message = _("Checkout “%(id)s” was already completed by order %(order)s; it is not reopened.") % {
                "id": checkout.external_id, "order": checkout.order.number if checkout.order_id else "—",
            }
        else:
            message = _("Checkout “%(id)s” has expired; it is not reopened. Report a new checkout id.") % {
                "id": checkout.external_id,
            }
        super().__init__(message)


def recovery_delay() -> timedelta:
    return timedelta(minutes=settings.CHECKOUT_RECOVERY_DELAY_MINUTES)


def expiry_age() -> timedelta:
    return timedelta(days=settings.CHECKOUT_EXPIRY_DAYS)


def _completing_order(storefront_id: int, external_id: str) -> Order | None:
    """The first order the storefront placed for this checkout id, if any."""
    return _completing_orders({(storefront_id, external_id)}).get((storefront_id, external_id))


def _completing_orders(keys: set[tuple[int, str]]) -> dict[tuple[int, str], Order]:
    """The first order placed for each (storefront id, checkout id), in one query."""
    if not keys:
        return {}
    orders = (
        Order.objects.filter(external_checkout_id__in={external_id for _, external_id in keys})
        .filter(storefront_id__in={storefront_id for storefront_id, _ in keys})
        .order_by("-created_at", "-id")
        .only("id", "number", "created_at", "storefront_id", "external_checkout_id")
    )
    # Newest first, so the first order of each checkout is the one left in the dict.
    found = {(order.storefront_id, order.external_checkout_id): order for order in orders}
    return {key: order for key, order in found.items() if key in keys}


def report_checkout(
    *,
    storefront: Storefront,
    external_id: str,
    resume_url: str,
    currency: str,
    lines: list[dict],
    total: Decimal | None = None,
    customer_name: str = "",
    customer_email: str = "",
    customer_phone: str = "",
    language: str = "es",
    started_at: datetime | None = None,
    last_activity_at: datetime | None = None,
) -> tuple[Checkout, bool]:
    """Record or update the storefront's checkout `external_id`; return it and whether it is new.

    `lines` are dicts with sku, name, quantity and unit_price; `total` defaults to their sum.
    A checkout an order already completed is recorded as recovered at once; one started longer
    ago than the expiry age, as expired. Raises CheckoutClosed for a checkout already recovered
    or expired, and ValidationError for bad input (nothing saved).
    """
    now = timezone.now()
    if started_at is not None:
        started_at = min(started_at, now)
    last_activity_at = min(last_activity_at or now, now)
    stored_lines = [
        {
            "sku": (line.get("sku") or "").strip(),
            "name": (line.get("name") or "").strip(),
            "quantity": int(line["quantity"]),
            "unit_price": str(Decimal(line["unit_price"]).quantize(Decimal("0.01"))),
        }
        for line in lines
    ]
    if total is None:
        total = sum((Decimal(line["unit_price"]) * line["quantity"] for line in stored_lines), Decimal("0"))
    fields = {
        "customer_name": (customer_name or "").strip(),
        "customer_email": (customer_email or "").strip(),
        "customer_phone": customer_phone or "",
        "language": language,
        "currency": (currency or "").upper(),
        "lines": stored_lines,
        "total": Decimal(total).quantize(Decimal("0.01")),
        "resume_url": resume_url,
    }

    with transaction.atomic():
        checkout = Checkout.objects.select_for_update().filter(storefront=storefront, external_id=external_id).first()
        created = checkout is None
        if created:
            # A checkout starts before the customer's last activity in it.
            started = started_at or last_activity_at
            checkout = Checkout(
                storefront=storefront, external_id=external_id, created_at=started,
                last_activity_at=max(last_activity_at, started), **fields,
            )
            _settle(checkout, now, new=True)
            checkout.full_clean(exclude=["storefront", "order"], validate_unique=False, validate_constraints=False)
            try:
                with transaction.atomic():
                    checkout.save(force_insert=True)
            except IntegrityError:
                # The same checkout reported twice at once: the other request created it; update it.
                created = False
                checkout = Checkout.objects.select_for_update().get(storefront=storefront, external_id=external_id)
        if not created:
            if checkout.is_closed:
                raise CheckoutClosed(checkout)
            for name, value in fields.items():
                setattr(checkout, name, value)
            if started_at is not None:
                checkout.created_at = min(checkout.created_at, started_at)
            checkout.last_activity_at = max(checkout.last_activity_at, last_activity_at)
            _settle(checkout, now, new=False)
            checkout.full_clean(exclude=["storefront", "order"], validate_unique=False, validate_constraints=False)
            checkout.save()
    return checkout, created


def _settle(checkout: Checkout, now: datetime, *, new: bool) -> None:
    """A new checkout is recovered if an order already completed it (the order came before the
    report; a known checkout is marked by the order itself, or by the sweep if the two raced);
    any checkout is expired once it started longer ago than the expiry age."""
    order = _completing_order(checkout.storefront_id, checkout.external_id) if new else None
    if order is not None:
        checkout.status, checkout.order, checkout.recovered_at = Status.RECOVERED, order, order.created_at
    elif checkout.created_at <= now - expiry_age():
        checkout.status = Status.EXPIRED


def mark_recovered(*, order: Order) -> bool:
    """Mark the checkout this new order completes as recovered (in the order's transaction).

    One conditional UPDATE: an order racing the reminder sweep either lands first (no reminder) or
    after it (the message is skipped at delivery, since the checkout is recovered by then).
    Returns whether a checkout was marked.
    """
    if not (order.storefront_id and order.external_checkout_id):
        return False
    now = timezone.now()
    return bool(
        Checkout.objects.filter(storefront_id=order.storefront_id, external_id=order.external_checkout_id)
        .exclude(status=Status.RECOVERED)
        .update(status=Status.RECOVERED, order=order, recovered_at=now, updated_at=now)
    )


def expire_old_checkouts(*, now: datetime | None = None) -> int:
    """Checkouts not recovered within the expiry age become expired; returns how many."""
    now = now or timezone.now()
    return Checkout.objects.filter(
        status__in=[Status.OPEN, Status.REMINDED], created_at__lte=now - expiry_age()
    ).update(status=Status.EXPIRED, updated_at=now)


def remind_abandoned_checkouts(*, now: datetime | None = None, batch: int = SWEEP_BATCH) -> dict[str, int]:
    """Mark reminded each open checkout idle for the recovery delay and send checkout_abandoned.

    Each checkout in its own transaction, claimed with a conditional UPDATE (status still open):
    two sweeps running at once never both remind the same checkout, and a receiver that fails
    rolls its checkout back to open for the next sweep. A checkout an order completed but that
    was not marked (the two raced) is marked recovered instead.
    """
    now = now or timezone.now()
    due = Q(status=Status.OPEN, last_activity_at__lte=now - recovery_delay(), created_at__gt=now - expiry_age())
    candidates = list(
        Checkout.objects.filter(due)
        .order_by("last_activity_at", "id")
        .values_list("id", "storefront_id", "external_id")[:batch]
    )
    completing = _completing_orders({(storefront_id, external_id) for _, storefront_id, external_id in candidates})
    counts = {"reminded": 0, "recovered": 0, "failed": 0}
    for checkout_id, storefront_id, external_id in candidates:
        try:
            with transaction.atomic():
                claimed = Checkout.objects.filter(due, pk=checkout_id)
                order = completing.get((storefront_id, external_id))
                if order is not None:
                    marked = claimed.update(
                        status=Status.RECOVERED, order_id=order.pk, recovered_at=order.created_at, updated_at=now
                    )
                    counts["recovered"] += marked
                    continue
                if not claimed.update(status=Status.REMINDED, reminded_at=now, updated_at=now):
                    continue  # another sweep took it, or it changed meanwhile
                checkout = Checkout.objects.select_related("storefront").get(pk=checkout_id)
                signals.checkout_abandoned.send(sender=Checkout, checkout=checkout)
                counts["reminded"] += 1
        except Exception:
            counts["failed"] += 1
            logger.exception("Could not remind checkout %s; it stays open for the next sweep.", checkout_id)
    return counts


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic job: expire old checkouts, then remind the abandoned ones."""
    now = now or timezone.now()
    expired = expire_old_checkouts(now=now)
    counts = {"expired": expired, **remind_abandoned_checkouts(now=now)}
    if any(counts.values()):
        logger.info("Checkout sweep: %s", counts)
    return counts


# --- recovery rate --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekRate:
    week: datetime  # the Monday (local time) the week starts
    started: int
    reminded: int
    recovered: int
    recovered_after_reminder: int

    @property
    def rate(self) -> Decimal | None:
        """Share of the reminded checkouts that were recovered after the reminder, in percent."""
        if not self.reminded:
            return None
        return (Decimal(100) * self.recovered_after_reminder / self.reminded).quantize(Decimal("0.1"))


def recovery_rate_by_week(*, weeks: int = 12, storefront_id: int | None = None, now: datetime | None = None
                          ) -> list[WeekRate]:
    """Checkouts started per week (local weeks, Monday first) over the last `weeks` weeks, newest
    first, each with how many were reminded, recovered, and recovered after a reminder.
    One aggregate query, whatever the number of checkouts; weeks without checkouts show zeros."""
    today = timezone.localdate(now or timezone.now())
    this_monday = today - timedelta(days=today.weekday())
    # Local midnights, each built from its date so a daylight-saving change does not shift it.
    mondays = [
        timezone.make_aware(datetime.combine(this_monday - timedelta(weeks=n), time.min)) for n in range(weeks)
    ]
    checkouts = Checkout.objects.filter(created_at__gte=mondays[-1])
    if storefront_id is not None:
        checkouts = checkouts.filter(storefront_id=storefront_id)
    recovered = Q(status=Status.RECOVERED)
    rows = (
        checkouts.annotate(week=TruncWeek("created_at", tzinfo=timezone.get_current_timezone()))
        .values("week")
        .annotate(
            started=Count("id"),
            reminded=Count("id", filter=Q(reminded_at__isnull=False)),
            recovered=Count("id", filter=recovered),
            recovered_after_reminder=Count("id", filter=recovered & Q(reminded_at__isnull=False)),
        )
        .order_by()
    )
    by_date = {timezone.localtime(row.pop("week")).date(): row for row in rows}
    empty = {"started": 0, "reminded": 0, "recovered": 0, "recovered_after_reminder": 0}
    return [WeekRate(week=monday, **by_date.get(monday.date(), empty)) for monday in mondays]
