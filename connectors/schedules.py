"""The periodic django-q2 schedules of the connectors: each outbox kind's sweep and purge,
registered after `migrate` (idempotent: see outbox/schedules.py)."""
from .outbox import EVENTS, WRITE_BACKS


def register_schedules(using="default"):
    EVENTS.register_schedules(using=using)
    WRITE_BACKS.register_schedules(using=using)
