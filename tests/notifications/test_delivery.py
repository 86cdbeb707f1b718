"""The delivery task: idempotent, pays SMS with credits, records what happened, swept when lost."""
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from billing import services as billing
from notifications import services as notifications
from notifications.models import MessageTemplate, Notification
from notifications.tasks import deliver_notification, sweep_queued_notifications
from orders import services

from .helpers import pay, place, ship, switch

pytestmark = pytest.mark.django_db


def shipped_order(staff):
    order = pay(place(by=staff), by=staff)
    services.accept(order, by=staff)
    services.start_preparation(order, by=staff)
    ship(order, by=staff)  # no on-commit hooks run: the rows stay queued
    return order


def test_the_delivery_task_run_twice_sends_once(staff, credits, sms_outbox):
    order = shipped_order(staff)
    sms = Notification.objects.get(order=order, milestone="shipped", channel="sms")
    before = credits()

    assert deliver_notification(sms.pk) == "sent"
    assert deliver_notification(sms.pk) is None

    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("sent", 1)
    assert sms.provider_message_id == sms_outbox[0].provider_message_id
    assert sms.sent_at is not None
    assert len(sms_outbox) == 1
    assert credits() == before - 1


def test_a_row_claimed_by_another_worker_is_not_sent_again(staff):
    order = shipped_order(staff)
    email = Notification.objects.get(order=order, milestone="shipped", channel="email")
    Notification.objects.filter(pk=email.pk).update(locked_until=timezone.now() + timedelta(seconds=60))

    assert deliver_notification(email.pk) is None
    assert mail.outbox == []


def test_a_row_claimed_by_a_worker_that_died_is_sent_once_the_claim_expires(staff):
    order = shipped_order(staff)
    email = Notification.objects.get(order=order, milestone="shipped", channel="email")
    Notification.objects.filter(pk=email.pk).update(locked_until=timezone.now() - timedelta(seconds=1), attempts=1)

    assert deliver_notification(email.pk) == "sent"
    email.refresh_from_db()
    assert email.attempts == 2
    assert len(mail.outbox) == 1


def test_an_sms_without_credits_is_skipped_and_the_fallback_channel_is_used(staff, commit, no_credits, sms_outbox):
    switch("shipped", email=False, sms=True, push=False, fallback_channel="email")
    order = pay(place(by=staff), by=staff)
    services.accept(order, by=staff)
    services.start_preparation(order, by=staff)
    mail.outbox = []
    with commit():
        ship(order, by=staff)

    sms = Notification.objects.get(order=order, milestone="shipped", channel="sms")
    email = Notification.objects.get(order=order, milestone="shipped", channel="email")
    assert (sms.status, sms.reason) == ("skipped", "no SMS credits")
    assert (email.status, email.fallback_for) == ("sent", "sms")
    assert sms_outbox == []
    assert [m.subject for m in mail.outbox] == [f"Tu pedido {order.number} está en camino"]
    assert billing.balance().total == 0


def test_an_sms_over_ten_segments_fails_and_costs_nothing(staff, credits, sms_outbox):
    MessageTemplate.objects.filter(milestone="shipped", channel="sms", language="es").update(
        body="x" * 1531, gsm7_friendly=False  # GSM-7: 153 characters a segment
    )
    order = shipped_order(staff)
    sms = Notification.objects.get(order=order, milestone="shipped", channel="sms")
    before = credits()

    assert deliver_notification(sms.pk) == "failed"
    sms.refresh_from_db()
    assert sms.status == "failed"
    assert (sms.reason_code, sms.reason_detail) == ("sms_too_long", "11 > 10")
    assert sms.reason == "the SMS would take more segments than allowed (11 > 10)"
    assert credits() == before
    assert sms_outbox == []


def test_a_gsm7_friendly_template_sends_plain_letters_and_costs_less(staff, credits, sms_outbox):
    template = MessageTemplate.objects.get(milestone="shipped", channel="sms", language="es")
    template.body = "Hola {{ customer_first_name }}: tu pedido {{ order_number }} salió. ¡Gracias por tu compra, ñandú!"
    template.gsm7_friendly = True
    template.save()
    order = shipped_order(staff)
    sms = Notification.objects.get(order=order, milestone="shipped", channel="sms")
    before = credits()

    deliver_notification(sms.pk)
    assert sms_outbox[0].body == f"Hola Maria: tu pedido {order.number} salio. ¡Gracias por tu compra, ñandu!"
    assert credits() == before - 1  # 80 GSM-7 characters: one segment (as UCS-2 it would be two)


def test_the_sweep_re_enqueues_rows_left_queued_past_the_grace_period(staff, settings):
    settings.NOTIFICATION_REQUEUE_AFTER_SECONDS = 300
    order = shipped_order(staff)
    rows = Notification.objects.filter(order=order, milestone="shipped", channel="email")
    recent = Notification.objects.get(order=order, milestone="order_placed")
    rows.update(next_attempt_at=timezone.now() - timedelta(seconds=301))

    assert sweep_queued_notifications() == 1
    assert rows.get().status == "sent"
    recent.refresh_from_db()
    assert recent.status == "queued"  # still within the grace period: its own task may be on the way
    assert [m.subject for m in mail.outbox] == [f"Tu pedido {order.number} está en camino"]


def test_the_sweep_enqueues_an_overdue_row_once_per_grace_period(staff, monkeypatch):
    from django_q.conf import Conf
    from django_q.models import OrmQ

    order = shipped_order(staff)
    email = Notification.objects.filter(order=order, milestone="shipped", channel="email")
    email.update(next_attempt_at=timezone.now() - timedelta(hours=1))
    monkeypatch.setattr(Conf, "SYNC", False)  # leave the task in the broker, as behind a long queue

    assert sweep_queued_notifications() == 1
    assert sweep_queued_notifications() == 0
    assert OrmQ.objects.count() == 1
    assert email.get().status == "queued"


def test_the_sweep_leaves_a_row_a_worker_is_sending(staff, settings):
    order = shipped_order(staff)
    Notification.objects.filter(order=order).update(
        next_attempt_at=timezone.now() - timedelta(hours=1), locked_until=timezone.now() + timedelta(seconds=60)
    )
    assert sweep_queued_notifications() == 0
    assert mail.outbox == []


def test_a_delivery_that_never_reports_back_is_failed_after_the_last_attempt(staff, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    order = shipped_order(staff)
    email = Notification.objects.get(order=order, milestone="shipped", channel="email")
    Notification.objects.filter(pk=email.pk).update(attempts=3, reason_code="provider_error", reason_detail="timed out")

    assert deliver_notification(email.pk) == "failed"
    email.refresh_from_db()
    assert (email.status, email.reason) == ("failed", "gave up after 3 attempts: timed out")
    assert mail.outbox == []


def test_resending_a_failed_sms_charges_it_again(staff, credits, sms_outbox):
    order = shipped_order(staff)
    sms = Notification.objects.get(order=order, milestone="shipped", channel="sms")
    Notification.objects.filter(pk=sms.pk).update(status="failed", reason_code="provider_error", reason_detail="Twilio HTTP 400", attempts=1)
    before = credits()

    assert len(notifications.resend([sms.pk])) == 0  # an SMS waits for its credits to be confirmed
    [again] = notifications.resend([sms.pk], sms_confirmed=True).rows
    assert (again.status, again.resent_from_id, again.attempts) == ("queued", sms.pk, 0)
    deliver_notification(again.pk)
    again.refresh_from_db()
    assert again.status == "sent"
    assert len(sms_outbox) == 1
    assert credits() == before - 1
    sms.refresh_from_db()
    assert sms.status == "failed"


def test_resend_leaves_rows_still_on_their_way(staff):
    order = shipped_order(staff)
    email = Notification.objects.get(order=order, milestone="shipped", channel="email")
    result = notifications.resend([email.pk])
    assert len(result) == 0 and result.still_queued == [email]
    assert not Notification.objects.filter(resent_from=email).exists()

