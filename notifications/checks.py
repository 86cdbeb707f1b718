"""System checks of the notifications app (run by every manage.py command)."""
import sqlite3

from django.core.checks import Error, register
from django.db import connections

# The outbox writes a milestone's rows with INSERT ... ON CONFLICT DO NOTHING RETURNING.
SQLITE_RETURNING = (3, 35, 0)


@register()
def check_sqlite_supports_returning(app_configs=None, **kwargs):
    errors = []
    for alias in connections:
        if connections[alias].vendor == "sqlite" and sqlite3.sqlite_version_info < SQLITE_RETURNING:
            errors.append(Error(
                f"SQLite {sqlite3.sqlite_version} is too old for the notification outbox: it needs "
                f"{'.'.join(map(str, SQLITE_RETURNING))} or newer (INSERT ... RETURNING).",
                hint="Use a Python built with a newer SQLite, or PostgreSQL (DATABASE_URL).",
                id="notifications.E001",
            ))
    return errors
