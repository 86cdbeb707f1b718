"""The API's periodic django-q2 schedule, registered after `migrate` (idempotent).

Expired Idempotency-Keys are also removed whenever their storefront sends a keyed request;
the hourly purge covers storefronts that stop sending them.
"""
from django.db import DEFAULT_DB_ALIAS

PURGE_NAME = "api: purge expired idempotency keys"


def register_schedules(using: str = DEFAULT_DB_ALIAS) -> None:
    from django_q.models import Schedule

    fields = {"func": "api.tasks.purge_idempotency_keys", "schedule_type": Schedule.HOURLY, "repeats": -1}
    schedules = Schedule.objects.using(using)
    for duplicate in list(schedules.filter(name=PURGE_NAME).order_by("pk"))[1:]:
        duplicate.delete()
    schedules.update_or_create(name=PURGE_NAME, defaults=fields)


def on_post_migrate(sender, app_config=None, using=DEFAULT_DB_ALIAS, **kwargs):
    from django.db import connections

    if "django_q_schedule" not in connections[using].introspection.table_names():
        return
    register_schedules(using=using)
