"""The checkouts app's periodic django-q2 schedule, registered after `migrate` (idempotent).

Schedule.name is not unique in the database: it is looked up by name and updated, and stray
duplicates are removed.
"""
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

SWEEP_NAME = "checkouts: remind abandoned checkouts and expire old ones"
SWEEP_EVERY_MINUTES = 5


def register_schedules(using: str = DEFAULT_DB_ALIAS) -> None:
    from django_q.models import Schedule

    fields = {
        "func": "checkouts.tasks.sweep_checkouts",
        "schedule_type": Schedule.MINUTES,
        "minutes": SWEEP_EVERY_MINUTES,
        "repeats": -1,
    }
    schedules = Schedule.objects.using(using)
    for duplicate in list(schedules.filter(name=SWEEP_NAME).order_by("pk"))[1:]:
        duplicate.delete()
    # next_run only on creation: a later migrate must not postpone a due run.
    schedules.update_or_create(
        name=SWEEP_NAME, defaults=fields, create_defaults={**fields, "next_run": timezone.now()}
    )


def on_post_migrate(sender, app_config=None, using=DEFAULT_DB_ALIAS, **kwargs):
    from django.db import connections

    if "django_q_schedule" not in connections[using].introspection.table_names():
        return
    register_schedules(using=using)
