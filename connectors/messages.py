"""The report of a platform's customer data request, emailed to the store (STORE_EMAIL): a kind of
message of the notification log (notifications/app_kinds.py), registered by this app, addressed to
the staff like the new order notice. The report is written when the request is handled, in the
store's language, on the row (the request's own body is erased then); the notifications' worker
sends it, retries it while the email provider is down, and logs it. One per request: a request
worked on again writes no second report.
"""
from django.utils.translation import gettext_lazy as _

from notifications.app_kinds import AppKind, admin_link

CODE = "data_request"
SOURCE_PREFIX = "platform-event:"


def source_of(event) -> str:
    return f"{SOURCE_PREFIX}{event.pk}"


class DataRequestReport(AppKind):
    code = CODE
    verbose_name = _("Customer data request (staff)")
    staff = True

    def describe_source(self, source: str) -> str:
        return _("platform event %(id)s") % {"id": source.removeprefix(SOURCE_PREFIX)}

    def admin_about(self, notification) -> str:
        return admin_link("admin:connectors_platformevent_change", notification.source.removeprefix(SOURCE_PREFIX),
                          self.describe_source(notification.source))


DATA_REQUEST_REPORT = DataRequestReport()
