"""The periodic django-q2 schedules of the webhooks app, registered after `migrate`.

Schedule.name is not unique in the database, so they are looked up by name and updated,
and stray duplicates are removed.
"""
from datetime import datetime, time, timedelta

from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

SWEEP_NAME = "webhooks: re-enqueue overdue deliveries"
PURGE_NAME = "webhooks: purge old deliveries"


def _next_local(at: time):
    now = timezone.localtime()
    candidate = timezone.make_aware(datetime.combine(now.date(), at))
    return candidate if candidate > now else candidate + timedelta(days=1)


def register_schedules(using: str = DEFAULT_DB_ALIAS) -> None:
    from django_q.models import Schedule

    wanted = {
        SWEEP_NAME: {
            "func": "webhooks.tasks.sweep_queued_webhooks",
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "repeats": -1,
        },
        PURGE_NAME: {
            "func": "webhooks.tasks.purge_webhook_deliveries",
            "schedule_type": Schedule.DAILY,
            "minutes": None,
            "repeats": -1,
        },
    }
    for name, fields in wanted.items():
        schedules = Schedule.objects.using(using)
        for duplicate in list(schedules.filter(name=name).order_by("pk"))[1:]:
            duplicate.delete()
        first_run = _next_local(time(3, 45)) if name == PURGE_NAME else timezone.now()
        # next_run only on creation: a later migrate must not postpone a due run.
        schedules.update_or_create(name=name, defaults=fields, create_defaults={**fields, "next_run": first_run})


def on_post_migrate(sender, app_config=None, using=DEFAULT_DB_ALIAS, plan=None, **kwargs):
    from django.db import connections

    if "django_q_schedule" not in connections[using].introspection.table_names():
        return
    register_schedules(using=using)
