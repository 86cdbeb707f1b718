"""The analytics app's daily django-q2 schedule, registered after `migrate` (idempotent: see
outbox/schedules.py): the report's counts of the days that ended (analytics/rollup.py)."""
from datetime import time

from django.db import DEFAULT_DB_ALIAS

from outbox import schedules

ROLLUP_NAME = "analytics: roll up the report's counts of closed days"
ROLLUP_AT = time(0, 20)  # the store's clock, just after its day ends


def register_schedules(using: str = DEFAULT_DB_ALIAS) -> None:
    from django_q.models import Schedule

    schedules.register({
        ROLLUP_NAME: {
            "func": "analytics.tasks.roll_up_closed_days",
            "schedule_type": Schedule.DAILY,
            "repeats": -1,
            "next_run": schedules.next_local(ROLLUP_AT),
        },
    }, using=using)
