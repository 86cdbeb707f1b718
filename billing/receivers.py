"""After `migrate`: register the monthly grant schedule and make sure this month is granted."""
from __future__ import annotations

from datetime import datetime, time

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

SCHEDULE_NAME = "billing: monthly SMS allowance"
SCHEDULE_FUNC = "billing.tasks.grant_monthly_allowance"
NEEDED_TABLES = {"billing_servicetier", "billing_creditaccount", "billing_ledgerentry", "django_q_schedule"}


def next_first_of_month(now: datetime | None = None) -> datetime:
    """00:05 on the first day of next month, in the store's time zone."""
    from .services import next_grant_date

    return timezone.make_aware(datetime.combine(next_grant_date(timezone.localdate(now)), time(0, 5)))


def register_schedule() -> None:
    """One monthly schedule for the grant; Schedule.name is not unique, so keep exactly one."""
    from django_q.models import Schedule

    existing = list(Schedule.objects.filter(func=SCHEDULE_FUNC).order_by("pk"))
    for duplicate in existing[1:]:
        duplicate.delete()
    Schedule.objects.update_or_create(
        func=SCHEDULE_FUNC,
        defaults={"name": SCHEDULE_NAME, "schedule_type": Schedule.MONTHLY, "repeats": -1},
        create_defaults={
            "name": SCHEDULE_NAME, "schedule_type": Schedule.MONTHLY, "repeats": -1,
            "next_run": next_first_of_month(),
        },
    )


def set_up_after_migrate(sender, *, using=DEFAULT_DB_ALIAS, verbosity=1, **kwargs) -> None:
    if using != DEFAULT_DB_ALIAS:
        return
    if not NEEDED_TABLES <= set(connections[using].introspection.table_names()):
        return  # a partial migrate; the next full one does this
    from . import services

    register_schedule()
    entries = services.set_up()
    if verbosity >= 2 and entries:
        print(f"  Granted this month's SMS allowance ({entries[-1].amount} credits).")
