"""The payment link emailed to the customer when staff ask (*Email the link to the customer* on the
order page): a kind of message of the notification log (notifications/app_kinds.py), registered by
this app. The click writes the row in its request; the notifications' worker sends it, retries it
while the email provider is down, and logs it. The email is written when it goes out, in the
order's language, with the link as it is then; a link that can no longer be paid (the order paid
or cancelled, the link expired or replaced) skips it.
"""
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from notifications.app_kinds import AppKind
from notifications.reasons import Reason
from orders import payment_links

CODE = "payment_link"
SUBJECT = _("Pay for your order %(number)s")
BODY = _(
    "Hi %(first_name)s,\n\nYou can pay for your order %(number)s (%(total)s) here:\n%(url)s\n\n"
    "The link can be used until %(expires)s.\n\nThe %(store)s team"
)


class PaymentLinkEmail(AppKind):
    code = CODE
    verbose_name = _("Payment link (emailed by staff)")
    # Sent again on purpose or not, an email with a link nobody can pay is not sent.
    resend_checks_due = True

    def no_longer_due(self, notification):
        if payment_links.payable(notification.order) is None:
            return Reason.NOTHING_TO_PAY, ""
        return None

    def render(self, notification, language: str):
        order = notification.order
        link = payment_links.for_order(order)
        expires = link.expires_at if link is not None else None
        with translation.override(language):
            params = {
                "first_name": order.customer_first_name, "number": order.number, "store": settings.STORE_NAME,
                "total": order.format_money(order.total, language), "url": payment_links.customer_url(order),
                "expires": formats.date_format(timezone.localtime(expires), "DATETIME_FORMAT") if expires else "—",
            }
            return self.message(str(SUBJECT) % params, str(BODY) % params)


PAYMENT_LINK_EMAIL = PaymentLinkEmail()
