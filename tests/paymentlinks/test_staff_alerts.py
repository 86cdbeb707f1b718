"""The staff's alerts (a link Mercado Pago would not make, a payment flagged) are rows of the
notification log: sent by the notifications' worker, retried while the email provider is down,
written once per occurrence, in the store's language."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.tasks import deliver_notification
from paymentlinks import alerts, links
from paymentlinks.models import MercadoPagoPayment, PaymentLink

from .conftest import notify, place
from tests.utils import closed_port

pytestmark = pytest.mark.django_db

PAYMENT = "1319234567"


def emails():
    return [email for email in mail.outbox if getattr(email, "tags", None) == ["payment_staff_alert"]]


def rows():
    return Notification.objects.filter(milestone="payment_staff_alert").order_by("id")


@pytest.fixture
def failed_link(staff, stub, commit):
    """A link Mercado Pago refused to make: failed at once, and staff told."""
    stub.refuse_preferences = (400, {"message": "invalid items.unit_price", "error": "bad_request"})
    with commit():
        order = place(by=staff)
    return PaymentLink.objects.get(order=order)


def test_a_failed_link_is_a_row_of_the_log_the_worker_sends_once(failed_link):
    [row] = rows()
    [email] = emails()
    assert (row.order, row.source, row.recipient, row.status, row.attempts) == (
        None, f"payment-link:{failed_link.pk}", "staff@example.com", "sent", 1,
    )
    assert row.subject == email.subject == f"The payment link of order {failed_link.order.number} could not be made"
    assert "invalid items.unit_price" in email.body

    deliver_notification(row.pk)  # the task run again sends nothing more
    links.make(failed_link.pk)  # nor does the worker that works on the failed link again
    assert len(emails()) == 1
    assert alerts.tell_staff("x", "y", source=row.source).row is None  # the same failure: nothing written
    assert rows().count() == 1


def test_a_flagged_payment_is_told_once_per_reason(client, staff, stub, commit):
    with commit():
        order = place(by=staff)
    stub.pay(PAYMENT, order=order, currency="BRL")
    for request_id in ("first", "second"):
        with commit():
            notify(client, PAYMENT, request_id=request_id)

    payment = MercadoPagoPayment.objects.get(payment_id=PAYMENT)
    [row] = rows()
    assert (row.source, row.status) == (f"mercadopago-payment:{payment.pk}:currency", "sent")
    [email] = emails()
    assert email.subject == f"Mercado Pago payment {PAYMENT} of order {order.number} needs you"


def test_an_email_provider_that_is_down_is_retried(staff, stub, commit, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    stub.refuse_preferences = (400, {"message": "invalid items.unit_price", "error": "bad_request"})
    with commit():
        order = place(by=staff)

    assert PaymentLink.objects.get(order=order).status == "failed"  # whatever the email provider does
    [row] = rows()
    assert (row.status, row.attempts, row.reason_code) == ("queued", 1, "provider_error")
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"  # the provider is back
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert deliver_notification(row.pk) == "sent"
    [email] = emails()
    assert order.number in email.subject


def test_the_alert_speaks_the_stores_language_and_the_log_names_it(staff, stub, commit, settings, staff_client):
    settings.LANGUAGE_CODE = "pt-br"
    stub.refuse_preferences = (400, {"message": "invalid items.unit_price", "error": "bad_request"})
    with commit():
        order = place(by=staff)
    link = PaymentLink.objects.get(order=order)

    [email] = emails()
    assert order.number in email.subject and "could not be made" not in email.subject
    row = rows().get()
    page = staff_client.get(reverse("admin:notifications_notification_change", args=[row.pk]),
                            HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Aviso de links de pago (equipo)" in page
    assert reverse("admin:paymentlinks_paymentlink_change", args=[link.pk]) in page
