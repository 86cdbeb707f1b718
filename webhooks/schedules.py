"""The periodic django-q2 schedules of the webhooks app: the outbox's sweep and purge,
registered after `migrate` (idempotent: see outbox/schedules.py)."""
from .outbox import WEBHOOKS

SWEEP_NAME = WEBHOOKS.sweep_schedule.name
PURGE_NAME = WEBHOOKS.purge_schedule.name
register_schedules = WEBHOOKS.register_schedules
