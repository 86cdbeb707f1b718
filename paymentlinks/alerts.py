"""Telling staff what needs them: an email to STORE_EMAIL, a kind of message of the notification log
(notifications/app_kinds.py) registered by this app and addressed to the staff. It is written in the
transaction of the change it tells (a link that failed, a payment flagged), in the store's language;
the notifications' worker sends it, retries it while the email provider is down, and logs it.

Each alert is about one occurrence, named by the row's `source`, so nothing writes it twice: a link
failed ("payment-link:12": a link fails once, a new one is a new row), a payment flagged for a
reason ("mercadopago-payment:7:refunded"). What the email says also stays on the record it is about,
shown on the order page and the admin index.
"""
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from notifications import services as notifications
from notifications.app_kinds import AppKind, admin_link

CODE = "payment_staff_alert"
LINK_PREFIX = "payment-link:"
PAYMENT_PREFIX = "mercadopago-payment:"


def order_admin_url(order) -> str:
    return settings.SITE_URL + reverse("admin:orders_order_change", args=[order.pk])


def link_failed_source(link) -> str:
    return f"{LINK_PREFIX}{link.pk}"


def payment_flagged_source(payment, code: str) -> str:
    return f"{PAYMENT_PREFIX}{payment.pk}:{code}"


def tell_staff(subject, body, *, source: str, **params) -> notifications.Recorded:
    """Write the staff's email about `source`: `subject` and `body` (lazy translations, %-formatted
    with params) in the store's language. Call it inside the transaction of the change it tells."""
    with translation.override(settings.LANGUAGE_CODE):
        subject_text = " ".join((str(subject) % params).split())[:200]
        body_text = str(body) % params
    return notifications.record_message(
        CODE, source=source, subject=subject_text, body=body_text, language=settings.LANGUAGE_CODE,
    )


class StaffAlert(AppKind):
    code = CODE
    verbose_name = _("Payment link alert (staff)")
    staff = True

    def describe_source(self, source: str) -> str:
        if source.startswith(PAYMENT_PREFIX):
            return _("Mercado Pago payment %(id)s") % {"id": self._id(source)}
        return _("payment link %(id)s") % {"id": self._id(source)}

    def admin_about(self, notification) -> str:
        source = notification.source
        name = "mercadopagopayment" if source.startswith(PAYMENT_PREFIX) else "paymentlink"
        return admin_link(f"admin:paymentlinks_{name}_change", self._id(source), self.describe_source(source))

    @staticmethod
    def _id(source: str) -> str:
        return source.removeprefix(PAYMENT_PREFIX).removeprefix(LINK_PREFIX).partition(":")[0]


STAFF_ALERT = StaffAlert()
