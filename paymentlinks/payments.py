"""Payments confirmed by Mercado Pago itself: a notification, or a storefront's report, is checked
against the payment as Mercado Pago shows it before anything counts.

1. A signed notification (views.py) or a storefront (api.py) writes a queued `PaymentCheck` with the
   payment id and enqueues it once the transaction commits (outbox CHECKS).
2. The worker calls `check(id)`: it claims the row, reads `GET /v1/payments/{id}` (Mercado Pago down:
   retried on MERCADOPAGO_RETRY_DELAYS), then, in one transaction with the payment's
   `MercadoPagoPayment` row locked (one row per payment id), acts on what it read:
   - `approved`, for one of our orders (its `external_reference` is the order number; for a
     storefront's report, the order it named, by number or by the storefront's own id), in the
     order's currency: registered through `orders.services.register_payment` (reference
     `MP-<payment id>`), once: the row keeps the order's payment it became. A part payment is
     registered as a part; a payment the order cannot take (more than it owes, already paid,
     cancelled) or in another currency is flagged for staff instead.
   - `refunded`, `charged_back`: flagged for staff, with an email (there is no refund service yet:
     the registered payment still counts until staff handle it).
   - pending, in process, rejected, cancelled: recorded; nothing else.
   - an unknown reference, or a payment this account cannot read (another seller's): logged and
     ignored.
"""
from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from orders import services as order_services
from orders.models import Order

from . import alerts, client
from .models import MercadoPagoPayment, PaymentCheck
from .outbox import CHECKS
from .reasons import REASONS, Attention, Reason, values

logger = logging.getLogger(__name__)

CheckStatus = PaymentCheck.Status
REFERENCE_PREFIX = "MP-"
APPROVED = "approved"
REVERSED = {"refunded", "charged_back"}

ATTENTION_SUBJECT = _("Mercado Pago payment %(id)s of order %(number)s needs you")
ATTENTION_BODY = _("%(reason)s\n\nOrder %(number)s:\n%(url)s\n")


# --- writing checks --------------------------------------------------------------------------


def record(*, source: str, payment_id: str, order=None, by=None, action: str = "", request_id: str = "",
           body: dict | None = None) -> PaymentCheck:
    """A queued check of `payment_id`, read once the caller's transaction commits."""
    row = PaymentCheck.objects.create(
        source=source, payment_id=payment_id, order=order, reported_by=by, action=action[:60],
        request_id=request_id[:100], body=body or {}, next_attempt_at=timezone.now(),
    )
    CHECKS.enqueue_after_commit([row.pk])
    return row


# --- checking (the worker) -------------------------------------------------------------------


def check(check_id: int) -> str | None:
    """Read one queued check's payment from Mercado Pago and act on it; returns the status it reached."""
    if not CHECKS.claim(check_id):
        return None
    row = PaymentCheck.objects.select_related("order", "reported_by").filter(pk=check_id).first()
    if row is None:
        return None
    if CHECKS.attempts_lost(row):
        # Earlier attempts never reported back (a worker died): the last claim was no attempt.
        gave_up = Reason.GAVE_UP, REASONS.gave_up_detail(row.outcome_code, row.outcome)
        return _finish(row, CheckStatus.FAILED, gave_up, attempts=row.attempts - 1)
    if not client.configured():
        return _finish(row, CheckStatus.FAILED, (Reason.TURNED_OFF, ""))
    try:
        data = client.get_payment(row.payment_id)
    except client.Unavailable as error:
        if CHECKS.retry_later(row, str(error), code=Reason.UNAVAILABLE):
            return CheckStatus.QUEUED
        gave_up = Reason.GAVE_UP, REASONS.gave_up_detail(Reason.UNAVAILABLE, str(error))
        return _finish(row, CheckStatus.FAILED, gave_up)
    except client.NotFound:
        logger.info("Mercado Pago payment %s is not this account's: ignored", row.payment_id)
        return _finish(row, CheckStatus.IGNORED, (Reason.NOT_OURS, row.payment_id))
    except client.ApiError as error:
        return _finish(row, CheckStatus.FAILED, (Reason.REFUSED, str(error)))
    status, outcome = apply(row, data)
    return _finish(row, status, outcome)


def _finish(row: PaymentCheck, status: str, outcome: tuple[str, str], **fields) -> str:
    """The check's final status and outcome: its code and detail (paymentlinks/reasons.py)."""
    code, detail = outcome
    CHECKS.finish(row, status, outcome_code=code, outcome=detail[:2000], **fields)
    return status


def _amount(value) -> Decimal | None:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return amount if amount.is_finite() else None


def _find_order(row: PaymentCheck, reference: str) -> tuple[Order | None, tuple[str, str]]:
    if row.order is not None:
        order = row.order
        if reference and reference.upper() in {order.number, order.external_id.upper()} - {""}:
            return order, ("", "")
        return None, (Reason.WRONG_ORDER, values(reference=reference, number=order.number))
    order = Order.objects.filter(number=reference.upper()).first() if reference else None
    if order is None:
        return None, (Reason.UNKNOWN_REFERENCE, reference)
    return order, ("", "")


@transaction.atomic
def apply(row: PaymentCheck, data: dict) -> tuple[str, tuple[str, str]]:
    """Act on a payment as Mercado Pago showed it; returns the check's status and outcome (code, detail)."""
    payment_id = str(data.get("id") or "")
    amount = _amount(data.get("transaction_amount"))
    currency = str(data.get("currency_id") or "").upper()[:3]
    if payment_id != str(row.payment_id) or amount is None or not currency:
        return CheckStatus.FAILED, (Reason.UNREADABLE, "")
    reference = str(data.get("external_reference") or "").strip()[:256]
    status = str(data.get("status") or "")[:30]
    MercadoPagoPayment.objects.get_or_create(payment_id=payment_id)
    payment = MercadoPagoPayment.objects.select_for_update().get(payment_id=payment_id)
    payment.status, payment.status_detail = status, str(data.get("status_detail") or "")[:100]
    payment.amount, payment.currency, payment.external_reference = amount, currency, reference

    if row.order_id and payment.order_id and payment.order_id != row.order_id:
        payment.save()
        return CheckStatus.IGNORED, (Reason.OTHER_ORDER, payment.order.number)
    order, ignored = (payment.order, "") if payment.order_id else _find_order(row, reference)
    if order is None:
        payment.save()
        logger.info("Mercado Pago payment %s %s", payment_id, ignored)
        return CheckStatus.IGNORED, ignored
    payment.order = order
    found = {"amount": str(amount), "currency": currency, "order_currency": order.currency, "number": order.number}

    if status == APPROVED and payment.registered_payment_id is None:
        if currency != order.currency:
            return _flag(payment, Attention.CURRENCY, found)
        by = row.reported_by if row.source == PaymentCheck.Source.STOREFRONT else None
        try:
            registered = order_services.register_payment(
                order, by=by, amount=amount, reference=f"{REFERENCE_PREFIX}{payment_id}",
            )
        except (order_services.TransitionNotAllowed, ValidationError) as refused:
            reason = str(refused) if isinstance(refused, order_services.TransitionNotAllowed) else " ".join(
                refused.messages)
            return _flag(payment, Attention.REFUSED, {**found, "reason": reason})
        payment.registered_payment = registered
        payment.save()
        logger.info("Mercado Pago payment %s registered on order %s", payment_id, order.number)
        return CheckStatus.DONE, (Reason.REGISTERED, values(money=str(amount), currency=currency, number=order.number))
    if status in REVERSED and payment.registered_payment_id is not None:
        return _flag(payment, status, found)
    payment.save()
    if status == APPROVED:
        return CheckStatus.DONE, (Reason.ALREADY, order.number)
    return CheckStatus.DONE, (Reason.RECORDED, status or "?")


def _flag(payment: MercadoPagoPayment, code: str, found: dict) -> tuple[str, tuple[str, str]]:
    """Flag the payment for staff (once per reason: a notification repeated tells nobody twice)."""
    shown = {name: found[name] for name in ("amount", "currency", "order_currency", "reason") if name in found}
    if payment.attention_code != code:
        payment.attention_code, payment.attention = code, values(**shown)
        payment.attention_at, payment.handled_at, payment.handled_by = timezone.now(), None, None
        with translation.override(settings.LANGUAGE_CODE):  # the staff's email, in the store's language
            reason = payment.attention_text
        alerts.tell_staff(ATTENTION_SUBJECT, ATTENTION_BODY, id=payment.payment_id, number=found["number"],
                          reason=reason, url=alerts.order_admin_url(payment.order))
        logger.warning("Mercado Pago payment %s flagged: %s", payment.payment_id, code)
    payment.save()
    return CheckStatus.DONE, (Reason.FLAGGED, values(attention=code, **shown))


def needing_attention():
    """The payments flagged for staff and not handled yet, newest first."""
    return (
        MercadoPagoPayment.objects.filter(~Q(attention=""), handled_at__isnull=True)
        .select_related("order").order_by("-attention_at")
    )


def mark_handled(payment: MercadoPagoPayment, *, by) -> None:
    MercadoPagoPayment.objects.filter(pk=payment.pk).update(handled_at=timezone.now(), handled_by=by)
