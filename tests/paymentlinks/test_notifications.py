"""Paid by itself: a signed notification, the payment read from Mercado Pago, registered once."""
import time
from decimal import Decimal

import pytest
from django.core import mail

from orders.models import Order, Payment
from paymentlinks import payments
from paymentlinks.models import MercadoPagoPayment, PaymentCheck

from .conftest import notify, place, signature

pytestmark = pytest.mark.django_db

PAYMENT = "1319234567"


@pytest.fixture
def order(staff, commit):
    with commit():
        placed = place(by=staff)
    mail.outbox = []
    return placed


def staff_alerts():
    return [m for m in mail.outbox if m.to == ["staff@example.com"] and "Mercado Pago payment" in m.subject]


def test_an_approved_payment_registers_itself_and_tells_the_customer(client, order, stub, commit):
    stub.pay(PAYMENT, order=order)
    with commit():
        response = notify(client, PAYMENT)
    assert response.status_code == 200

    order.refresh_from_db()
    assert order.is_paid
    [payment] = order.payments.all()
    assert (payment.amount, payment.reference, payment.recorded_by) == (order.total, f"MP-{PAYMENT}", None)
    [read] = stub.calls("GET", "/v1/payments/")
    assert read["path"] == f"/v1/payments/{PAYMENT}"
    seen = MercadoPagoPayment.objects.get(payment_id=PAYMENT)
    assert (seen.order, seen.registered_payment, seen.status) == (order, payment, "approved")
    check = PaymentCheck.objects.get()
    assert (check.status, check.source, check.action) == ("done", "notification", "payment.updated")
    assert check.outcome_text.startswith("registered ") and order.number in check.outcome_text
    [email] = [m for m in mail.outbox if m.to == ["maria@example.com"]]
    assert email.subject == f"Pago aprobado: pedido {order.number}"
    assert staff_alerts() == []


def test_a_payment_notified_twice_is_registered_once(client, order, stub, commit):
    stub.pay(PAYMENT, order=order)
    with commit():
        notify(client, PAYMENT, request_id="first")
    with commit():
        notify(client, PAYMENT, request_id="second", action="payment.created")

    assert Payment.objects.filter(order=order).count() == 1
    assert [check.outcome_text for check in PaymentCheck.objects.order_by("pk")][1] == (
        f"already registered on order {order.number}"
    )
    assert len(stub.calls("GET")) == 2
    assert staff_alerts() == []


def test_pending_then_approved(client, order, stub, commit):
    stub.pay(PAYMENT, order=order, status="pending")
    with commit():
        notify(client, PAYMENT)
    order.refresh_from_db()
    assert not order.is_paid and not order.payments.exists()
    assert MercadoPagoPayment.objects.get(payment_id=PAYMENT).status == "pending"
    assert PaymentCheck.objects.get().outcome_text == "recorded: the payment is pending"

    stub.pay(PAYMENT, order=order, status="approved")
    with commit():
        notify(client, PAYMENT)
    order.refresh_from_db()
    assert order.is_paid
    assert order.payments.get().reference == f"MP-{PAYMENT}"


def test_a_rejected_payment_registers_nothing(client, order, stub, commit):
    stub.pay(PAYMENT, order=order, status="rejected", status_detail="cc_rejected_insufficient_amount")
    with commit():
        notify(client, PAYMENT)
    order.refresh_from_db()
    assert not order.is_paid and not order.payments.exists()
    seen = MercadoPagoPayment.objects.get(payment_id=PAYMENT)
    assert (seen.status, seen.status_detail, seen.order) == ("rejected", "cc_rejected_insufficient_amount", order)
    assert staff_alerts() == []


def test_a_part_payment_is_registered_as_a_part(client, order, stub, commit):
    stub.pay(PAYMENT, order=order, amount=Decimal("5000.00"))
    with commit():
        notify(client, PAYMENT)
    order.refresh_from_db()
    assert not order.is_paid
    assert order.payments.get().amount == Decimal("5000.00")


def test_a_payment_in_another_currency_is_flagged_not_registered(client, order, stub, commit):
    stub.pay(PAYMENT, order=order, currency="BRL")
    with commit():
        notify(client, PAYMENT)
    order.refresh_from_db()
    assert not order.is_paid and not order.payments.exists()
    seen = MercadoPagoPayment.objects.get(payment_id=PAYMENT)
    assert seen.needs_attention and seen.attention_code == "currency"
    assert "the order is in ARS: it was not registered" in seen.attention_text
    [alert] = staff_alerts()
    assert alert.subject == f"Mercado Pago payment {PAYMENT} of order {order.number} needs you"

    with commit():
        notify(client, PAYMENT)  # the same again: staff are not told twice
    assert len(staff_alerts()) == 1


def test_an_unknown_reference_is_logged_and_ignored(client, order, stub, commit, caplog):
    stub.pay(PAYMENT, order=order, reference="ZZZZ-9999")
    with commit(), caplog.at_level("INFO", logger="paymentlinks"):
        notify(client, PAYMENT)
    assert not Order.objects.get(pk=order.pk).payments.exists()
    check = PaymentCheck.objects.get()
    assert (check.status, check.outcome_text) == ("ignored", "ignored: no order has the reference “ZZZZ-9999”")
    assert MercadoPagoPayment.objects.get(payment_id=PAYMENT).order is None
    assert any("ZZZZ-9999" in record.getMessage() for record in caplog.records)


def test_another_sellers_payment_is_ignored(client, order, stub, commit):
    with commit():
        notify(client, "999888777")  # this account cannot read it: Mercado Pago answers 404
    check = PaymentCheck.objects.get()
    assert check.status == "ignored"
    assert "another seller's" in check.outcome_text
    assert not MercadoPagoPayment.objects.exists()


def test_a_refund_is_flagged_for_staff_and_the_payment_stays(client, order, stub, commit):
    stub.pay(PAYMENT, order=order)
    with commit():
        notify(client, PAYMENT)
    stub.pay(PAYMENT, order=order, status="refunded")
    with commit():
        notify(client, PAYMENT)

    order.refresh_from_db()
    assert order.is_paid and order.payments.count() == 1  # no refund service: staff handle it
    seen = MercadoPagoPayment.objects.get(payment_id=PAYMENT)
    assert (seen.status, seen.attention_code) == ("refunded", "refunded")
    assert "refunded" in seen.attention_text
    [alert] = staff_alerts()
    assert "refunded" in alert.body and f"/admin/orders/order/{order.pk}/change/" in alert.body

    payments.mark_handled(seen, by=None)
    assert not MercadoPagoPayment.objects.get(pk=seen.pk).needs_attention
    stub.pay(PAYMENT, order=order, status="charged_back")
    with commit():
        notify(client, PAYMENT)
    seen.refresh_from_db()
    assert seen.needs_attention and seen.attention_code == "charged_back"
    assert len(staff_alerts()) == 2


def test_a_payment_the_order_cannot_take_is_flagged(client, order, stub, commit):
    stub.pay(PAYMENT, order=order, amount=order.total + 1)
    with commit():
        notify(client, PAYMENT)
    seen = MercadoPagoPayment.objects.get(payment_id=PAYMENT)
    assert seen.attention_code == "refused" and "more than the" in seen.attention_text
    assert not Order.objects.get(pk=order.pk).payments.exists()


def test_mercado_pago_down_while_reading_the_payment_is_retried(client, order, stub, commit):
    stub.down = True
    stub.pay(PAYMENT, order=order)
    with commit():
        assert notify(client, PAYMENT).status_code == 200
    check = PaymentCheck.objects.get()
    assert (check.status, check.outcome_text) == ("queued", "Mercado Pago answered HTTP 503")
    stub.down = False
    with commit():
        assert payments.check(check.pk) == "done"
    assert Order.objects.get(pk=order.pk).is_paid


@pytest.mark.parametrize("header", [
    None,  # no x-signature
    "ts=1700000000",  # no v1
    "garbage",
])
def test_a_missing_or_malformed_signature_is_refused(client, order, stub, header):
    stub.pay(PAYMENT, order=order)
    response = notify(client, PAYMENT, sign=False, header=header)
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_signature"}
    assert not PaymentCheck.objects.exists()
    assert stub.calls("GET") == []


def test_a_wrong_or_stale_signature_is_refused(client, order, stub):
    now = int(time.time())
    wrong_secret = signature(PAYMENT, "req-1", now, secret="someone-elses-secret")
    other_payment = signature("555", "req-1", now)
    stale = signature(PAYMENT, "req-1", now - 11 * 60)
    stale_ms = signature(PAYMENT, "req-1", (now - 11 * 60) * 1000)
    for header in (wrong_secret, other_payment, stale, stale_ms):
        assert notify(client, PAYMENT, request_id="req-1", header=header).status_code == 401
    assert not PaymentCheck.objects.exists()


def test_a_signature_in_milliseconds_is_accepted(client, order, stub, commit):
    stub.pay(PAYMENT, order=order)
    ts = int(time.time() * 1000) - 9 * 60 * 1000  # nine minutes ago, in milliseconds
    with commit():
        assert notify(client, PAYMENT, ts=ts).status_code == 200
    assert Order.objects.get(pk=order.pk).is_paid


def test_without_a_webhook_secret_every_notification_is_refused(client, order, stub, settings):
    settings.MERCADOPAGO_WEBHOOK_SECRET = ""
    assert notify(client, PAYMENT).status_code == 401


def test_notifications_about_other_topics_are_answered_and_dropped(client, order, stub):
    response = notify(client, "8877", topic="merchant_order")
    assert (response.status_code, response.json()) == (200, {"received": True, "ignored": True})
    assert not PaymentCheck.objects.exists()


def test_only_post_is_answered(client):
    assert client.get("/hooks/mercadopago/?data.id=1").status_code == 405


def test_old_checks_are_purged_queued_ones_kept(order, settings):
    from datetime import timedelta

    from django.utils import timezone

    from paymentlinks.outbox import CHECKS

    old_done = payments.record(source="notification", payment_id="1")
    old_queued = payments.record(source="notification", payment_id="2")
    PaymentCheck.objects.filter(pk=old_done.pk).update(status="done")
    PaymentCheck.objects.update(created_at=timezone.now() - timedelta(days=settings.MERCADOPAGO_NOTIFICATION_RETENTION_DAYS + 1))
    assert CHECKS.purge() == 1
    assert list(PaymentCheck.objects.values_list("pk", flat=True)) == [old_queued.pk]
