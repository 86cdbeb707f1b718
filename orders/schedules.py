"""The orders app's periodic django-q2 schedule, registered after `migrate` (idempotent: see
outbox/schedules.py)."""
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from outbox import schedules

UNPAID_SWEEP_NAME = "orders: remind unpaid orders and cancel those never paid"
UNPAID_SWEEP_EVERY_MINUTES = 10


def register_schedules(using: str = DEFAULT_DB_ALIAS) -> None:
    from django_q.models import Schedule

    schedules.register({
        UNPAID_SWEEP_NAME: {
            "func": "orders.tasks.sweep_unpaid_orders",
            "schedule_type": Schedule.MINUTES,
            "minutes": UNPAID_SWEEP_EVERY_MINUTES,
            "repeats": -1,
            "next_run": timezone.now(),
        },
    }, using=using)
