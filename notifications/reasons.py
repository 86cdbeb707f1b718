"""Why a notification was skipped, failed, or waits for a retry: a code from a fixed set, stored on
the row with an optional detail (the provider's words, a template's error, an order status), and
the sentence told in the reader's language when shown.

The code is the data: the fallback decision compares codes, the log filters by them. The detail
is free text, kept as it came (it is never translated).
"""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from outbox.reasons import GAVE_UP_SENTENCE, Reasons


class Reason(models.TextChoices):
    NOT_NOTIFIED = "not_notified", _("not notified at staff's request")
    SENT_BY_PLATFORM = "sent_by_platform", _("sent by the store platform")
    NO_EMAIL = "no_email", _("no email address")
    NO_PHONE = "no_phone", _("no valid mobile number")
    NO_PUSH_SUBSCRIPTION = "no_push_subscription", _("no push subscription")
    NO_WHATSAPP_OPT_IN = "no_whatsapp_opt_in", _("the customer did not opt in to WhatsApp")
    NO_WHATSAPP_TEMPLATE = "no_whatsapp_template", _("no WhatsApp template for this message")
    NO_CREDITS = "no_credits", _("no SMS credits")
    SMS_TOO_LONG = "sms_too_long", _("the SMS is too long")
    NO_TEMPLATE = "no_template", _("the message template cannot be used")
    PROVIDER_ERROR = "provider_error", _("the provider refused or failed")
    UNEXPECTED_ERROR = "unexpected_error", _("unexpected error while sending")
    GAVE_UP = "gave_up", _("gave up after the last attempt")
    BOUNCED = "bounced", _("the email bounced")
    REJECTED = "rejected", _("the email provider rejected it")
    UNDELIVERED = "undelivered", _("the provider reported it undelivered")
    PROVIDER_FAILED = "provider_failed", _("the provider reported that it could not send it")
    CHECKOUT_RECOVERED = "checkout_recovered", _("the checkout was recovered")
    RULE_TURNED_OFF = "rule_turned_off", _("the rule was turned off before the message was due")
    NO_LONGER_DUE = "no_longer_due", _("the order moved on before the delay passed")
    CANCELLED_MEANWHILE = "cancelled_meanwhile", _("the order was cancelled before the delay passed")
    PAID_MEANWHILE = "paid_meanwhile", _("the order was paid (or moved on) before the reminder went out")
    NOTHING_TO_PAY = "nothing_to_pay", _("no payment link could be paid any more when the email was due")
    OTHER = "other", _("other")


# Channels that cannot reach the customer: the milestone's fallback channel is tried instead.
UNREACHABLE = frozenset({Reason.NO_EMAIL, Reason.NO_PHONE, Reason.NO_PUSH_SUBSCRIPTION, Reason.NO_WHATSAPP_OPT_IN})

# The sentence of a code that has a detail (the code's label alone when it has none). `%(detail)s`
# is the detail as stored; `%(attempts)s` the row's attempts.
_WITH_DETAIL = {
    Reason.SMS_TOO_LONG: _("the SMS would take more segments than allowed (%(detail)s)"),
    Reason.NO_TEMPLATE: _("the message template cannot be used: %(error)s"),
    Reason.NO_WHATSAPP_TEMPLATE: _("no WhatsApp template for this message: %(detail)s"),
    Reason.GAVE_UP: GAVE_UP_SENTENCE,
    Reason.BOUNCED: _("the email bounced: %(detail)s"),
    Reason.REJECTED: _("the email provider rejected it: %(detail)s"),
    Reason.UNDELIVERED: _("the provider reported it undelivered: %(detail)s"),
    Reason.PROVIDER_FAILED: _("the provider reported that it could not send it: %(detail)s"),
    Reason.NO_LONGER_DUE: _("the order is no longer “%(status)s”: it moved on before the delay passed"),
}
# Codes whose detail is the whole sentence: the provider's (or the error's) own words.
_DETAIL_ONLY = {Reason.PROVIDER_ERROR, Reason.UNEXPECTED_ERROR, Reason.OTHER}


_REASONS = Reasons(Reason, with_detail=_WITH_DETAIL, detail_only=_DETAIL_ONLY, gave_up=Reason.GAVE_UP,
                   gave_up_nests=False)


def sentence(code: str, detail: str = "", *, attempts: int | None = None) -> str:
    """The reason told in the active language ('' for no code)."""
    return _REASONS.sentence(code, detail, attempts=attempts)
