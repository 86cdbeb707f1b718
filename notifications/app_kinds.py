"""The base of the kinds of message the apps above notifications own: see `AppKind`, and
`register_kind()` in notifications/kinds.py."""
from __future__ import annotations

from django.conf import settings
from django.utils.html import format_html

from .kinds import MilestoneKind, admin_link, register_kind, registered_kinds
from .rendering import RenderedMessage

__all__ = ["AppKind", "admin_link", "register_kind", "registered_kinds"]


class AppKind(MilestoneKind):
    """A kind of message an app above notifications owns and registers (`register_kind()`): one
    email, its words the app's own, about an order (`order`) or about something notifications does
    not know (`source`, e.g. "platform-event:12"), written with `services.record_message()`.

    A subclass sets `code` (the row's `milestone`), `verbose_name` (the log's label) and, for a
    message to the staff, `staff = True`; it renders the message its own way (`render()`), or
    sends the subject and body written on the row (`services.record_message(subject=..., body=...)`).
    """

    code = ""
    verbose_name = ""
    staff = False
    falls_back = False

    def to_staff(self, notification) -> bool:
        return self.staff

    def fields(self, milestone: str) -> dict:
        return {}

    def language(self, notification) -> str:
        if self.staff or notification.order_id is None:
            return notification.language or settings.LANGUAGE_CODE
        return notification.order.language

    def render(self, notification, language: str):
        """The subject and body written on the row when it was recorded."""
        return self.message(notification.subject, notification.body)

    def message(self, subject: str, body: str):
        """A rendered message (what `render()` returns)."""
        return RenderedMessage(subject=subject, body=body)

    def label(self, notification) -> str:
        return str(self.verbose_name)

    def about(self, notification):
        return notification.order if notification.order_id else notification.source

    def reference(self, about) -> str:
        return getattr(about, "number", about)

    def describe(self, notification) -> str:
        if notification.order_id:
            return super().describe(notification)
        return self.describe_source(notification.source)

    def describe_source(self, source: str) -> str:
        """What a row without an order is about, as staff read it."""
        return source

    def admin_about(self, notification) -> str:
        if notification.order_id:
            return super().admin_about(notification)
        return format_html("{}", self.describe_source(notification.source))

    def ledger_label(self, notification) -> str:
        return f"{self.code} {self.reference(self.about(notification))}"

    def email_metadata(self, notification) -> tuple[list[str], dict[str, str]]:
        metadata = {"notification_id": str(notification.pk)}
        if notification.order_id:
            metadata["order"] = notification.order.number
        else:
            metadata["source"] = notification.source
        return [self.code], metadata

    def push_tag(self, notification) -> str:
        return f"{self.code}-{notification.pk}"
