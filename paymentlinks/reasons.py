"""What became of a payment link or a payment check, and why a payment needs the staff: codes stored
on the rows (`error_code`, `outcome_code`, `attention_code`) with their detail (Mercado Pago's own
words, a reference, or the sentence's values as a JSON object), and the sentences told in the
reader's language when shown (outbox/reasons.py).
"""
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _

from orders.display import format_money
from outbox.reasons import GAVE_UP_SENTENCE, Reasons


class Reason(models.TextChoices):
    # Mercado Pago down, or refusing: its own words are the detail.
    UNAVAILABLE = "unavailable", _("Mercado Pago could not be reached")
    REFUSED = "refused", _("Mercado Pago refused the request")
    GAVE_UP = "gave_up", _("gave up after the last attempt")
    TURNED_OFF = "turned_off", _("payment links are off (no MERCADOPAGO_ACCESS_TOKEN)")
    # Links
    ORDER_CLOSED = "order_closed", _("not made: the order is already paid or cancelled")
    NO_CHECKOUT = "no_checkout", _("Mercado Pago answered without a checkout address")
    # Payment checks
    NOT_OURS = "not_ours", _("ignored: Mercado Pago shows this account no such payment (another seller's, or none)")
    UNKNOWN_REFERENCE = "unknown_reference", _("ignored: no order has the payment's reference")
    WRONG_ORDER = "wrong_order", _("ignored: the payment's reference names another order")
    OTHER_ORDER = "other_order", _("ignored: this payment belongs to another order")
    REGISTERED = "registered", _("registered on the order")
    ALREADY = "already", _("already registered on the order")
    RECORDED = "recorded", _("recorded")
    FLAGGED = "flagged", _("flagged for staff")
    UNREADABLE = "unreadable", _("Mercado Pago answered a payment without an id, amount or currency")
    OTHER = "other", _("other")


class Attention(models.TextChoices):
    """Why a Mercado Pago payment needs the staff."""

    CURRENCY = "currency", _("approved in another currency than the order's: not registered")
    REFUSED = "refused", _("approved, but it could not be registered")
    REFUNDED = "refunded", _("refunded at Mercado Pago")
    CHARGED_BACK = "charged_back", _("charged back at Mercado Pago")


ATTENTION_SENTENCES = {
    Attention.CURRENCY: _("Mercado Pago approved %(amount)s %(currency)s, but the order is in %(order_currency)s: "
                          "it was not registered."),
    Attention.REFUSED: _("Mercado Pago approved %(amount)s %(currency)s, but it could not be registered: %(reason)s"),
    Attention.REFUNDED: _("Mercado Pago reports this payment (%(amount)s %(currency)s) refunded. The payment "
                          "registered on the order still counts: handle the refund."),
    Attention.CHARGED_BACK: _("Mercado Pago reports a chargeback of this payment (%(amount)s %(currency)s). The "
                              "payment registered on the order still counts: handle the chargeback."),
}

ATTENTIONS = Reasons(Attention, with_detail=ATTENTION_SENTENCES, structured=set(Attention))


def _prepare(values: dict) -> dict:
    """An amount written for the reader; a flag told in their words."""
    if "attention" in values:
        rest = {key: value for key, value in values.items() if key != "attention"}
        values = {**values, "reason": ATTENTIONS.sentence(values["attention"], Reasons.values(**rest))}
    if "money" in values:
        try:
            values["amount"] = format_money(Decimal(str(values["money"])), str(values.get("currency", "")))
        except (InvalidOperation, ValueError):
            values["amount"] = values["money"]
    return values


REASONS = Reasons(
    Reason,
    with_detail={
        Reason.GAVE_UP: GAVE_UP_SENTENCE,
        Reason.NOT_OURS: _("ignored: Mercado Pago shows no payment %(id)s to this account (another seller's, or none)"),
        Reason.UNKNOWN_REFERENCE: _("ignored: no order has the reference “%(reference)s”"),
        Reason.WRONG_ORDER: _(
            "ignored: the payment's reference “%(reference)s” names neither order %(number)s nor its storefront id"
        ),
        Reason.OTHER_ORDER: _("ignored: this payment belongs to order %(number)s"),
        Reason.REGISTERED: _("registered %(amount)s on order %(number)s"),
        Reason.ALREADY: _("already registered on order %(number)s"),
        Reason.RECORDED: _("recorded: the payment is %(status)s"),
        Reason.FLAGGED: _("flagged for staff: %(reason)s"),
    },
    detail_only={Reason.UNAVAILABLE, Reason.REFUSED, Reason.OTHER},
    gave_up=Reason.GAVE_UP,
    prepare=_prepare,
    structured={Reason.WRONG_ORDER, Reason.REGISTERED, Reason.FLAGGED},
)

values = Reasons.values
