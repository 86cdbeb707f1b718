"""Registering periodic django-q2 schedules after `migrate`: how every app's schedules are written,
in one place (the outbox kinds' sweep and purge, and the other apps' periodic jobs).

Schedule.name is not unique in the database, so each schedule is looked up by name and updated,
and stray duplicates are removed. `next_run` is set only when a schedule is created: a later
migrate must not postpone a due run.

An app registers its schedules from its `AppConfig.ready()`:

    register_after_migrate(self, register_schedules)   # register_schedules(using=...)
"""
from datetime import datetime, time, timedelta

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_migrate
from django.utils import timezone


def next_local(at: time) -> datetime:
    """The next moment the store's clock shows `at`: today if it is still ahead, else tomorrow."""
    now = timezone.localtime()
    candidate = timezone.make_aware(datetime.combine(now.date(), at))
    return candidate if candidate > now else candidate + timedelta(days=1)


def register(schedules: dict[str, dict], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create or update each schedule by name ({name: Schedule fields}); a "next_run" among the
    fields is used only when the schedule is created."""
    from django_q.models import Schedule

    for name, fields in schedules.items():
        fields = dict(fields)
        first_run = fields.pop("next_run", None)
        rows = Schedule.objects.using(using)
        for duplicate in list(rows.filter(name=name).order_by("pk"))[1:]:
            duplicate.delete()
        create = {**fields, "next_run": first_run} if first_run is not None else fields
        rows.update_or_create(name=name, defaults=fields, create_defaults=create)


def can_register(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether django_q's table exists yet (post_migrate also runs before django_q is migrated)."""
    return "django_q_schedule" in connections[using].introspection.table_names()


def register_after_migrate(app_config, register_schedules) -> None:
    """Call `register_schedules(using=...)` after each `migrate` of the app, once django_q's table exists."""

    def on_post_migrate(sender, app_config=None, using=DEFAULT_DB_ALIAS, **kwargs):
        if can_register(using):
            register_schedules(using=using)

    post_migrate.connect(
        on_post_migrate, sender=app_config, weak=False, dispatch_uid=f"{app_config.label}.register_schedules"
    )
