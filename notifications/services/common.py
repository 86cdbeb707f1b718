"""What the notification services share: the reasons logged (in the store's language), the
milestone each order status tells, and one SQL statement for many rows."""
from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..models import Milestone, Notification

Status = Notification.Status

NOT_NOTIFIED = _("not notified at staff's request")
SENT_BY_PLATFORM = _("sent by the store platform")
NO_EMAIL = _("no email address")
NO_MOBILE = _("no valid mobile number")
NO_PUSH = _("no push subscription")
NO_CREDITS = _("no SMS credits")
SMS_TOO_LONG = _("the SMS would take %(segments)s segments; the limit is %(limit)s")
GAVE_UP = _("gave up after %(attempts)s attempts: %(error)s")
NO_TEMPLATE = _("the message template cannot be used: %(error)s")
BOUNCED = _("the email bounced: %(detail)s")
REJECTED = _("the email provider rejected it: %(detail)s")
CHECKOUT_RECOVERED = _("the checkout was recovered")
RULE_TURNED_OFF = _("the rule was turned off before the message was due")
MOVED_ON = _("the order is no longer “%(status)s”: it moved on before the delay passed")
CANCELLED_MEANWHILE = _("the order was cancelled before the delay passed")
PAID_MEANWHILE = _("the order was paid (or moved on) before the reminder went out")

# Reasons that mean "this channel cannot reach the customer": the milestone's fallback is used.
UNREACHABLE = {NO_EMAIL, NO_MOBILE, NO_PUSH}

# Order status reached -> milestone told to the customer.
STATUS_MILESTONES = {
    "preparing": Milestone.PREPARING,
    "shipped": Milestone.SHIPPED,
    "ready_for_pickup": Milestone.READY_FOR_PICKUP,
    "finalized": Milestone.FINALIZED,
    "cancelled": Milestone.CANCELLED,
}


def _text(message, **params) -> str:
    """A reason as stored in the log: in the store's language."""
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
