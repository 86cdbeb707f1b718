"""The API's periodic django-q2 schedule, registered after `migrate` (idempotent: see outbox/schedules.py).

Expired Idempotency-Keys are also removed whenever their storefront sends a keyed request;
the hourly purge covers storefronts that stop sending them.
"""
from django.db import DEFAULT_DB_ALIAS

from outbox import schedules

PURGE_NAME = "api: purge expired idempotency keys"


def register_schedules(using: str = DEFAULT_DB_ALIAS) -> None:
    from django_q.models import Schedule

    schedules.register({
        PURGE_NAME: {"func": "api.tasks.purge_idempotency_keys", "schedule_type": Schedule.HOURLY, "repeats": -1},
    }, using=using)
