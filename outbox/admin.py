"""What the admin of every kind of outbox row shares: the read-only inline of its attempts (one row
per call to the other side) and how a response code, a duration and a time are written."""
from django.contrib import admin
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


def when(value) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else "—"


def response_code(row) -> str:
    return str(row.response_status) if row.response_status is not None else "—"


def duration(row) -> str:
    return f"{row.duration_ms} ms" if row.duration_ms is not None else "—"


class AttemptInline(admin.TabularInline):
    """The attempts of a row, oldest first, read-only; a subclass names the model (an `OutboxAttempt`)."""

    fields = ["number", "started_at", "response_status", "duration_ms", "error_display", "response_body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("error"))
    def error_display(self, attempt):
        return attempt.error_text or "—"
