"""*Email the link to the customer*: one row of the notification log per click, sent by the worker
through the email backend (retried while it is down), never twice for a double click."""
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.tasks import deliver_notification
from paymentlinks.models import PaymentLink
from tests.factories import UserFactory

from .conftest import place
from tests.utils import closed_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    client.force_login(UserFactory(username="encargada", groups=["Order managers"]))
    return client


@pytest.fixture
def order(staff, commit):
    with commit():
        placed = place(by=staff, language="en")
    mail.outbox = []
    return placed


def send_url(order) -> str:
    return reverse("admin:paymentlinks_paymentlink_send", args=[order.pk])


def order_page(client, order) -> str:
    return client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()


def test_the_click_writes_a_row_of_the_log_that_the_worker_sends(manager, order, commit):
    assert manager.get(send_url(order)).status_code == 200
    with commit():
        response = manager.post(send_url(order), follow=True)
    assert "is being emailed to maria@example.com" in response.content.decode()

    [email] = mail.outbox
    assert email.to == ["maria@example.com"]
    assert email.subject == f"Pay for your order {order.number}"
    assert f"https://shop.example.com/o/{order.public_token}/pay/" in email.body
    row = Notification.objects.get(order=order, milestone="payment_link")
    assert (row.channel, row.recipient, row.status, row.subject) == (
        "email", "maria@example.com", "sent", email.subject,
    )
    assert email.tags == ["payment_link"] and email.metadata["order"] == order.number
    link = PaymentLink.objects.get(order=order)
    assert link.sent_count == 1 and link.last_sent_at is not None


def test_the_email_is_in_the_orders_language(client, staff, commit):
    client.force_login(UserFactory(username="encargada", groups=["Order managers"]))
    with commit():
        spanish = place(by=staff, language="es")
    mail.outbox = []
    with commit():
        client.post(send_url(spanish))
    [email] = mail.outbox
    assert email.subject == f"Pagá tu pedido {spanish.number}"


def test_a_second_click_while_the_first_is_queued_sends_one_email(manager, order):
    # No commit: the first click's row stays queued, as while the worker has not got to it yet.
    manager.post(send_url(order))
    response = manager.post(send_url(order), follow=True)

    assert "on its way to the customer" in response.content.decode()
    [row] = Notification.objects.filter(order=order, milestone="payment_link")
    assert row.status == "queued"
    assert 'aria-describedby="send-link-refusal"' in order_page(manager, order)  # the button says why it waits
    assert PaymentLink.objects.get(order=order).sent_count == 1

    assert deliver_notification(row.pk) == "sent"
    assert deliver_notification(row.pk) is None  # the task run twice sends once
    assert len(mail.outbox) == 1


def test_once_it_has_gone_staff_may_send_it_again(manager, order, commit):
    with commit():
        manager.post(send_url(order))
    with commit():
        manager.post(send_url(order))

    first, again = Notification.objects.filter(order=order, milestone="payment_link").order_by("pk")
    assert again.resent_from == first
    assert (first.status, again.status) == ("sent", "sent")
    assert len(mail.outbox) == 2
    assert PaymentLink.objects.get(order=order).sent_count == 2


def test_an_email_provider_that_is_down_is_retried(manager, order, commit, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    with commit():
        response = manager.post(send_url(order))
    assert response.status_code == 302  # the click is not the one that talks to the provider

    row = Notification.objects.get(order=order, milestone="payment_link")
    assert (row.status, row.attempts, row.reason_code) == ("queued", 1, "provider_error")
    assert row.next_attempt_at > timezone.now()

    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"  # the provider is back
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert deliver_notification(row.pk) == "sent"
    [email] = mail.outbox
    assert email.subject == f"Pay for your order {order.number}"


def test_a_link_that_can_no_longer_be_paid_is_not_sent(manager, order):
    manager.post(send_url(order))
    PaymentLink.objects.filter(order=order).update(expires_at=timezone.now() - timedelta(minutes=1))
    row = Notification.objects.get(order=order, milestone="payment_link")

    assert deliver_notification(row.pk) == "skipped"
    row.refresh_from_db()
    assert row.reason_code == "nothing_to_pay"
    assert mail.outbox == []


def test_the_log_names_the_email_in_the_readers_language(staff_client, order, commit):
    staff_client.force_login(UserFactory(username="jefa", is_staff=True, is_superuser=True))
    with commit():
        staff_client.post(send_url(order))
    row = Notification.objects.get(order=order, milestone="payment_link")
    log = reverse("admin:notifications_notification_changelist")

    page = staff_client.get(log, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Link de pago (enviado por el equipo)" in page
    filtered = staff_client.get(log + "?milestone__exact=payment_link", HTTP_ACCEPT_LANGUAGE="pt-br").content.decode()
    assert "Link de pagamento (enviado pela equipe)" in filtered and order.number in filtered
    detail = staff_client.get(reverse("admin:notifications_notification_change", args=[row.pk]),
                              HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Payment link (emailed by staff)" in detail
