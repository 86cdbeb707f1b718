"""The periodic django-q2 schedules of the webhooks app, registered after `migrate` (idempotent:
see config/schedules.py)."""
from datetime import time

from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from config import schedules

SWEEP_NAME = "webhooks: re-enqueue overdue deliveries"
PURGE_NAME = "webhooks: purge old deliveries"


def register_schedules(using: str = DEFAULT_DB_ALIAS) -> None:
    from django_q.models import Schedule

    schedules.register({
        SWEEP_NAME: {
            "func": "webhooks.tasks.sweep_queued_webhooks",
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "repeats": -1,
            "next_run": timezone.now(),
        },
        PURGE_NAME: {
            "func": "webhooks.tasks.purge_webhook_deliveries",
            "schedule_type": Schedule.DAILY,
            "minutes": None,
            "repeats": -1,
            "next_run": schedules.next_local(time(3, 45)),
        },
    }, using=using)


def on_post_migrate(sender, app_config=None, using=DEFAULT_DB_ALIAS, plan=None, **kwargs):
    if schedules.can_register(using):
        register_schedules(using=using)
