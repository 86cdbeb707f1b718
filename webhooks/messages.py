"""The email that tells the store (STORE_EMAIL) a storefront's webhook endpoint kept failing and was
disabled: a kind of message of the notification log (notifications/app_kinds.py), registered by this
app, addressed to the staff. It is written in the transaction that disables the endpoint, in the
store's language; the notifications' worker sends it, retries it while the email provider is down,
and logs it. One per disablement: the row's `source` names the endpoint and the moment it was
disabled, so an endpoint enabled again and disabled later gets a new one, and nothing writes two.
"""
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from notifications import services as notifications
from notifications.app_kinds import AppKind, admin_link

CODE = "webhook_disabled"
SOURCE_PREFIX = "webhook-endpoint:"
SUBJECT = _("Webhook endpoint disabled: %(url)s")
BODY = _(
    "%(storefront)s's webhook endpoint %(url)s kept failing and was disabled: no more events are sent "
    "to it.\n\n%(reason)s\n\nOnce the storefront fixes it, enable it again (and redeliver what it "
    "missed) here:\n%(admin_url)s\n"
)


def source_of(endpoint) -> str:
    """The endpoint and the moment it was disabled: one message per disablement."""
    return f"{SOURCE_PREFIX}{endpoint.pk}@{endpoint.disabled_at:%Y%m%dT%H%M%S.%f}"


def _endpoint_id(source: str) -> str:
    return source.removeprefix(SOURCE_PREFIX).partition("@")[0]


class EndpointDisabledEmail(AppKind):
    code = CODE
    verbose_name = _("Webhook endpoint disabled (staff)")
    staff = True

    def describe_source(self, source: str) -> str:
        return _("webhook endpoint %(id)s") % {"id": _endpoint_id(source)}

    def admin_about(self, notification) -> str:
        return admin_link("admin:webhooks_endpoint_change", _endpoint_id(notification.source),
                          self.describe_source(notification.source))


ENDPOINT_DISABLED_EMAIL = EndpointDisabledEmail()


def record_endpoint_disabled(endpoint) -> notifications.Recorded:
    """Write the staff's email about the endpoint just disabled; call it inside the transaction that
    disabled it (`endpoint` carries its `disabled_at` and `disabled_reason`)."""
    admin_url = settings.SITE_URL + reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])
    params = {
        "storefront": endpoint.storefront.name, "url": endpoint.url, "reason": endpoint.disabled_reason,
        "admin_url": admin_url,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = str(SUBJECT) % params, str(BODY) % params
    return notifications.record_message(
        CODE, source=source_of(endpoint), subject=" ".join(subject.split())[:200], body=body,
        language=settings.LANGUAGE_CODE,
    )
