"""The periodic django-q2 schedules of the notifications app: the outbox's sweep and purge,
registered after `migrate` (idempotent: see outbox/schedules.py)."""
from .outbox import NOTIFICATIONS

SWEEP_NAME = NOTIFICATIONS.sweep_schedule.name
PURGE_NAME = NOTIFICATIONS.purge_schedule.name
register_schedules = NOTIFICATIONS.register_schedules
