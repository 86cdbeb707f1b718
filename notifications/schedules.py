"""The periodic django-q2 schedules of the notifications app, registered after `migrate`
(idempotent: see config/schedules.py)."""
from datetime import time

from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from config import schedules

SWEEP_NAME = "notifications: re-enqueue overdue notifications"
PURGE_NAME = "notifications: purge the notification log"


def register_schedules(using: str = DEFAULT_DB_ALIAS) -> None:
    from django_q.models import Schedule

    schedules.register({
        SWEEP_NAME: {
            "func": "notifications.tasks.sweep_queued_notifications",
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "repeats": -1,
            "next_run": timezone.now(),
        },
        PURGE_NAME: {
            "func": "notifications.tasks.purge_notification_log",
            "schedule_type": Schedule.DAILY,
            "minutes": None,
            "repeats": -1,
            "next_run": schedules.next_local(time(3, 30)),
        },
    }, using=using)


def on_post_migrate(sender, app_config=None, using=DEFAULT_DB_ALIAS, plan=None, **kwargs):
    if schedules.can_register(using):
        register_schedules(using=using)
