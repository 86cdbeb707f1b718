"""The checkouts app's periodic django-q2 schedule, registered after `migrate` (idempotent: see
outbox/schedules.py)."""
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from outbox import schedules

SWEEP_NAME = "checkouts: remind abandoned checkouts and expire old ones"
SWEEP_EVERY_MINUTES = 5


def register_schedules(using: str = DEFAULT_DB_ALIAS) -> None:
    from django_q.models import Schedule

    schedules.register({
        SWEEP_NAME: {
            "func": "checkouts.tasks.sweep_checkouts",
            "schedule_type": Schedule.MINUTES,
            "minutes": SWEEP_EVERY_MINUTES,
            "repeats": -1,
            "next_run": timezone.now(),
        },
    }, using=using)
