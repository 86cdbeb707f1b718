"""A payment link order gets its Mercado Pago link from the worker, through the outbox."""
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from orders.models import Order
from paymentlinks import links
from paymentlinks.models import PaymentLink

from .conftest import TOKEN, place

pytestmark = pytest.mark.django_db


def test_a_payment_link_order_gets_its_link_once_the_order_commits(staff, stub, commit, settings):
    settings.PAYMENT_LINK_EXPIRY_HOURS = 48
    with commit():
        order = place(by=staff)
        assert stub.requests == []  # never inside the order's transaction

    link = PaymentLink.objects.get(order=order)
    assert link.status == "active"
    assert link.checkout_url == "https://www.mercadopago.com.ar/checkout/v1/redirect?pref_id=123456-pref-1"
    assert link.preference_id == "123456-pref-1"
    assert timedelta(hours=47, minutes=59) < link.expires_at - timezone.now() <= timedelta(hours=48)

    [call] = stub.calls("POST", "/checkout/preferences")
    assert call["headers"]["authorization"] == f"Bearer {TOKEN}"
    body = call["body"]
    assert body["external_reference"] == order.number
    assert body["items"] == [
        {"id": "REM-001", "title": "Remera de algodón", "quantity": 2, "unit_price": 5000.0, "currency_id": "ARS"},
        {"id": "shipping", "title": "Envío", "quantity": 1, "unit_price": 1500.0, "currency_id": "ARS"},
    ]
    assert sum(item["quantity"] * item["unit_price"] for item in body["items"]) == float(order.total)
    assert body["payer"] == {"name": "María Pérez", "email": "maria@example.com"}
    timeline = order.get_timeline_url()
    assert body["back_urls"] == {"success": timeline, "pending": timeline, "failure": timeline}
    assert body["auto_return"] == "approved"
    assert body["expires"] is True and body["expiration_date_to"].startswith(
        timezone.localtime(link.expires_at).strftime("%Y-%m-%dT%H:%M"))
    # The order's updated_at moved: the API's kept JSON and updated_since syncs see the link.
    assert Order.objects.get(pk=order.pk).updated_at >= link.updated_at - timedelta(seconds=1)


def test_other_payment_methods_and_a_store_without_a_token_get_no_link(staff, stub, commit, settings):
    with commit():
        place(by=staff, payment_method="transfer")
    settings.MERCADOPAGO_ACCESS_TOKEN = ""
    with commit():
        place(by=staff)
    assert PaymentLink.objects.count() == 0
    assert stub.requests == []


def test_a_rolled_back_order_asks_for_no_link(staff, stub):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        place(by=staff)
        raise RuntimeError
    assert PaymentLink.objects.count() == 0


def test_mercado_pago_down_while_making_the_link_retries_then_makes_it(staff, stub, commit):
    from django_q.models import Schedule

    stub.down = True
    with commit():
        order = place(by=staff)
    link = PaymentLink.objects.get(order=order)
    assert (link.status, link.attempts) == ("queued", 1)
    assert link.error_text == "Mercado Pago answered HTTP 503"
    assert Schedule.objects.filter(name=f"payment-link {link.pk} attempt 2").exists()

    stub.down = False
    assert links.make(link.pk) == "active"  # the retry schedule's run
    link.refresh_from_db()
    assert (link.status, link.attempts, link.error_text) == ("active", 2, "")
    assert links.make(link.pk) is None  # run twice: nothing more


def test_a_link_that_times_out_is_retried(staff, stub, commit):
    stub.hang = 2
    with commit():
        order = place(by=staff)
    link = PaymentLink.objects.get(order=order)
    assert link.status == "queued"
    assert "did not answer within 0.5 seconds" in link.error_text


def test_mercado_pago_down_for_every_attempt_fails_the_link_and_tells_staff(staff, stub, commit):
    stub.down = True
    with commit():
        order = place(by=staff)
        link = PaymentLink.objects.get(order=order)
        links.make(link.pk)
        links.make(link.pk)
    link.refresh_from_db()
    assert link.status == "failed"
    assert link.error_text.startswith("gave up after 3 attempts: Mercado Pago answered HTTP 503")
    [email] = [m for m in mail.outbox if "payment link" in m.subject]
    assert email.to == ["staff@example.com"]
    assert email.subject == f"The payment link of order {order.number} could not be made"
    assert f"/admin/orders/order/{order.pk}/change/" in email.body


def test_a_refused_preference_fails_at_once(staff, stub, commit):
    stub.refuse_preferences = (400, {"message": "invalid items.unit_price", "error": "bad_request"})
    with commit():
        order = place(by=staff)
    link = PaymentLink.objects.get(order=order)
    assert (link.status, link.attempts) == ("failed", 1)
    assert link.error_text == "Mercado Pago answered HTTP 400: invalid items.unit_price"


def test_staff_make_a_new_link_once_the_old_one_expired(staff, stub, commit):
    with commit():
        order = place(by=staff)
    old = PaymentLink.objects.get(order=order)
    with pytest.raises(links.LinkRefused, match="can still be paid"):
        links.new_link(order, by=staff)

    PaymentLink.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with commit():
        new = links.new_link(order, by=staff)
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == "replaced"
    assert (new.status, new.requested_by, new.preference_id) == ("active", staff, "123456-pref-2")
    assert links.current(order) == new


def test_no_new_link_for_a_paid_or_cancelled_order(staff, stub, commit):
    from orders import services

    with commit():
        order = place(by=staff)
    PaymentLink.objects.filter(order=order).update(status="failed")
    services.cancel(order, by=staff, reason="El cliente desistió")
    order.refresh_from_db()
    with pytest.raises(links.LinkRefused, match="Cancelled orders"):
        links.new_link(order, by=staff)
