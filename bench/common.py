"""Shared set-up for the benchmarks: a staff user, a storefront with an API key, orders."""
from __future__ import annotations

import itertools
import threading
from decimal import Decimal

_seq = itertools.count(1)
_lock = threading.Lock()


def staff_user(username: str = "bench-admin"):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user = User.objects.filter(username=username).first()
    return user or User.objects.create_superuser(username=username, email=f"{username}@example.com", password="x")


def storefront(name: str = "Bench shop"):
    from storefronts.models import Storefront
    from storefronts.services import create_storefront

    return Storefront.objects.filter(name=name).first() or create_storefront(name=name, platform="tiendanube")


def place_paid_order(*, by, storefront=None, phone: str = "+5491155550000"):
    """A paid online carrier order, placed through orders/services/ (placement + payment)."""
    from orders import services

    with _lock:
        n = next(_seq)
    return services.place_order(
        by=by, storefront=storefront, customer_name="María Pérez", customer_email=f"cliente{n}@example.com",
        customer_phone=phone, payment_method="online", fulfillment_method="carrier", currency="ARS",
        city="Córdoba", address="Av. Colón 1234, X5000 Córdoba", shipping_cost="1500.00",
        lines=[{"sku": "REM-001", "name": "Remera de algodón", "quantity": 2, "unit_price": "5000.00"}],
        payment={"amount": "11500.00", "reference": f"MP-{n}"},
    )


def tracking_code(n: int) -> str:
    return f"{n % 10**10:010d}"  # DHL: ten digits


def bulk_orders(count: int, *, storefront=None, chunk: int = 2000) -> None:
    """Many orders written directly (set-up only: no services, no notifications)."""
    from orders.models import Order, OrderLine

    statuses = ["pending", "accepted", "preparing", "shipped", "finalized"]
    made = 0
    while made < count:
        size = min(chunk, count - made)
        orders = Order.objects.bulk_create([
            Order(
                storefront=storefront, customer_name="Juan Gómez", customer_email=f"bulk{made + i}@example.com",
                customer_phone="+5491155550000", language="es", fulfillment_method="carrier", city="Rosario",
                address="Bv. Oroño 100", payment_method="online", currency="ARS",
                lines_total=Decimal("10000.00"), shipping_cost=Decimal("1500.00"), total=Decimal("11500.00"),
                status=statuses[(made + i) % len(statuses)], payment_status="paid",
            )
            for i in range(size)
        ])
        OrderLine.objects.bulk_create([
            OrderLine(order=o, sku="REM-001", name="Remera", quantity=2, unit_price=Decimal("5000.00"),
                      line_total=Decimal("10000.00"))
            for o in orders
        ])
        made += size


def percentile(values, p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def empty_queue() -> int:
    """Start a worker benchmark from an empty queue: drop the delivery tasks and queued rows that
    earlier benchmarks left behind (nobody ran a worker for them). Returns how many rows were set aside."""
    from django_q.models import OrmQ, Schedule

    from notifications.models import Notification
    from webhooks.models import Delivery

    OrmQ.objects.all().delete()
    Schedule.objects.filter(func__in=["notifications.tasks.deliver_notification",
                                      "webhooks.tasks.deliver_webhook"]).delete()
    Delivery.objects.filter(status="queued").update(
        status="failed", error="left queued by an earlier benchmark", next_attempt_at=None, locked_until=None)
    return Notification.objects.filter(status="queued").update(
        status="skipped", reason_code="other", reason_detail="left queued by an earlier benchmark",
        next_attempt_at=None, locked_until=None)
