"""Fault drill: concurrent staff. Threads issue random moves on the same orders at once; then every
order's events are replayed to check the gates held and each path was legal.

Runs in the harness process, like the drills of bench/drills.py.
"""
from __future__ import annotations

import random
import threading
import time

from .drills import _say
from .report import Figure

_KINDS = [  # (payment method, fulfillment)
    ("online", "carrier"), ("transfer", "carrier"), ("cash_on_delivery", "carrier"), ("payment_link", "pickup"),
    ("transfer", "pickup"), ("cash_on_delivery", "to_be_agreed"),
]
# Any move at random (cancel rarely: it is allowed from almost every state), or half the time one
# the order allowed when it was read (without the lock: another thread may move it meanwhile).
_MOVES = ["accept"] * 6 + ["start_preparation"] * 6 + ["ship"] * 4 + ["mark_ready_for_pickup"] * 4 + \
    ["finalize"] * 4 + ["register_payment"] * 6 + ["cancel"]


def _place_mixed(user, i: int):
    from orders import services

    method, fulfillment = _KINDS[i % len(_KINDS)]
    extra = {"address": "Av. Colón 1234, Córdoba", "city": "Córdoba"} if fulfillment == "carrier" else {}
    if fulfillment == "pickup":
        extra["pickup_point"] = "Local Palermo, Honduras 4800, CABA"
    return services.place_order(
        by=user, customer_name="Ana Díaz", customer_email=f"staff{i}@example.com", customer_phone="+5491155550000",
        payment_method=method, fulfillment_method=fulfillment, currency="ARS", shipping_cost="1500.00",
        lines=[{"sku": "REM-001", "name": "Remera", "quantity": 1, "unit_price": "5000.00"}],
        payment={"amount": "6500.00", "reference": f"MP-staff-{i}"} if method == "online" else None, **extra,
    )


def staff(orders: int, seconds: float, threads: int) -> list[Figure]:
    """`threads` staff issue random moves on `orders` orders for `seconds`; then check every order."""
    from django.core.exceptions import ValidationError
    from django.db import connection

    from carriers.models import Carrier
    from orders import services
    from orders.models import Order

    from .common import staff_user, tracking_code

    user = staff_user()
    carrier = Carrier.objects.get(code="dhl")
    ids = [_place_mixed(user, i).pk for i in range(orders)]
    counts = {"done": 0, "refused": 0}
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def work(seed: int):
        rng = random.Random(seed)
        try:
            while time.monotonic() < deadline:
                pk = rng.choice(ids)
                move = rng.choice(_MOVES)
                if rng.random() < 0.5:
                    current = Order.objects.get(pk=pk)
                    allowed = [m for m, refused in services.allowed_moves(current).items() if refused is None]
                    allowed = [m for m in allowed if m != "cancel" or rng.random() < 0.05]
                    if not current.is_paid and current.status != "cancelled":
                        allowed.append("register_payment")
                    move = rng.choice(allowed) if allowed else move
                notify = rng.random() < 0.8
                order = Order(pk=pk)
                try:
                    if move == "ship":
                        services.ship(order, by=user, carrier=carrier, tracking_code=tracking_code(pk),
                                      notify_customer=notify)
                    elif move == "cancel":
                        services.cancel(order, by=user, reason="Sin stock", notify_customer=notify)
                    elif move == "register_payment":
                        total = Order.objects.values_list("total", flat=True).get(pk=pk)
                        services.register_payment(order, by=user, amount=total, reference=f"T-{pk}",
                                                  notify_customer=notify)
                    else:
                        getattr(services, move)(order, by=user, notify_customer=notify)
                    outcome = "done"
                except (services.TransitionNotAllowed, ValidationError):
                    outcome = "refused"
                except Exception as error:  # a deadlock, an integrity error: what the drill looks for
                    with lock:
                        errors.append(f"{move} on {pk}: {type(error).__name__}: {error}"[:300])
                    continue
                with lock:
                    counts[outcome] += 1
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(seed,)) for seed in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    problems = _check_orders(ids)
    ok = not errors and not problems
    by_status = {}
    for status in Order.objects.filter(pk__in=ids).values_list("status", flat=True):
        by_status[status] = by_status.get(status, 0) + 1
    note = (f"{threads} threads, {orders} orders, {seconds:g} s: {counts['done']:,} moves made, "
            f"{counts['refused']:,} refused by the rules, {len(errors)} errors; final statuses {by_status}; "
            f"{len(problems)} problems found")
    _say("staff: " + note)
    for line in (errors + problems)[:10]:
        _say("  " + line)
    return [Figure("drill: concurrent staff", f"{counts['done']:,} moves", baseline=f"{counts['refused']:,} refused",
                   bar="gates held, legal paths, one notification each", passed=ok,
                   notes=[note] + (errors + problems)[:5])]


def _check_orders(ids) -> list[str]:
    """Gates, event paths and notification uniqueness, for each order; a list of what is wrong."""
    from django.db.models import Count

    from notifications.models import Notification
    from orders.models import Order, OrderEvent
    from orders.services import PAID_BEFORE_ACCEPT, TRANSITIONS

    problems = []
    events: dict[int, list] = {}
    for event in OrderEvent.objects.filter(order__in=ids).order_by("id"):
        events.setdefault(event.order_id, []).append(event)
    for order in Order.objects.filter(pk__in=ids):
        state, paid = None, False
        for event in events.get(order.pk, []):
            if event.kind == "placed":
                state = event.to_status
            elif event.kind == "payment_registered":
                paid = bool(event.data.get("paid"))
            elif event.kind == "status_changed":
                to = event.to_status
                if event.from_status != state or to not in TRANSITIONS.get(state, ()):
                    problems.append(f"order {order.pk}: {event.from_status} -> {to} after {state}")
                elif to == "accepted" and order.payment_method in PAID_BEFORE_ACCEPT and not paid:
                    problems.append(f"order {order.pk}: accepted unpaid ({order.payment_method})")
                elif to == "finalized" and not paid:
                    problems.append(f"order {order.pk}: finalized unpaid")
                elif to == "shipped" and (order.fulfillment_method != "carrier" or not order.tracking_code):
                    problems.append(f"order {order.pk}: shipped, but {order.fulfillment_method}")
                elif to == "ready_for_pickup" and order.fulfillment_method == "carrier":
                    problems.append(f"order {order.pk}: a carrier order ready for pickup")
                state = to
        if state != order.status:
            problems.append(f"order {order.pk}: status {order.status}, but its events end at {state}")
        if paid != (order.payment_status == "paid"):
            problems.append(f"order {order.pk}: payment status {order.payment_status}, events say paid={paid}")
    twice = (Notification.objects.filter(order__in=ids).values("order", "milestone", "channel")
             .annotate(n=Count("pk")).filter(n__gt=1))
    problems += [f"order {r['order']}: {r['n']} {r['milestone']} {r['channel']} notifications" for r in twice]
    return problems
