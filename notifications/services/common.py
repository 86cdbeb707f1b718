"""What the notification services share: the reasons logged (codes, notifications/reasons.py),
text in the store's language, the milestone each order status tells, one SQL statement for many rows."""
from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.utils import translation

from ..models import Milestone, Notification

Status = Notification.Status

# Order status reached -> milestone told to the customer.
STATUS_MILESTONES = {
    "preparing": Milestone.PREPARING,
    "shipped": Milestone.SHIPPED,
    "ready_for_pickup": Milestone.READY_FOR_PICKUP,
    "finalized": Milestone.FINALIZED,
    "cancelled": Milestone.CANCELLED,
}


def _text(message, **params) -> str:
    """Text kept as written (a staff change's log, the SMS ledger): in the store's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params if params else str(message)


def _execute_with_values(model, sql: str, row: str, rows: list) -> None:
    """One statement for many rows, on PostgreSQL and SQLite alike: `sql` with `{table}` (the model's
    table) and `{values}` (one `row` placeholder per row, comma-separated). Nothing is run for no rows."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table, values=", ".join([row] * len(rows))),
                       [value for values in rows for value in values])
