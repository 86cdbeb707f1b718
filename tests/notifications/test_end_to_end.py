"""Orders taken through every move with orders.services: exactly the expected messages, in the order's language."""
import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction

from notifications.models import Notification
from orders import services
from orders.models import Order
from orders.signals import order_status_changed

from .helpers import TRACKING_CODE, pay, place, ship, subscribe, switch

pytestmark = pytest.mark.django_db

SUBJECTS = {
    "es": {
        "order_placed": "Recibimos tu pedido {n}",
        "payment_approved": "Pago aprobado: pedido {n}",
        "preparing": "Estamos preparando tu pedido {n}",
        "shipped": "Tu pedido {n} está en camino",
        "cancelled": "Tu pedido {n} fue cancelado",
    },
    "pt-br": {
        "order_placed": "Recebemos o seu pedido {n}",
        "payment_approved": "Pagamento aprovado: pedido {n}",
        "preparing": "Estamos preparando o seu pedido {n}",
        "shipped": "O seu pedido {n} está a caminho",
        "cancelled": "O seu pedido {n} foi cancelado",
    },
    "en": {
        "order_placed": "We received your order {n}",
        "payment_approved": "Payment approved: order {n}",
        "preparing": "We're preparing your order {n}",
        "shipped": "Your order {n} is on its way",
        "cancelled": "Your order {n} was cancelled",
    },
}
PUSH_TITLES = {
    "es": ["Pago aprobado", "Estamos preparando tu pedido", "Tu pedido está en camino"],
    "pt-br": ["Pagamento aprovado", "Estamos preparando o seu pedido", "O seu pedido está a caminho"],
    "en": ["Payment approved", "We're preparing your order", "Your order is on its way"],
}
SMS_WORDS = {"es": "salio con Correo Argentino, codigo", "pt-br": "enviado pela Correo Argentino, rastreio",
             "en": "shipped with Correo Argentino, tracking"}
TOTALS = {"es": "11.500,00", "pt-br": "11.500,00", "en": "11,500.00"}


def customer_mail():
    return [m for m in mail.outbox if m.to == ["maria@example.com"]]


@pytest.mark.parametrize("language", ["es", "pt-br", "en"])
def test_carrier_order_through_every_move_sends_exactly_the_expected_messages(
    language, staff, commit, credits, sms_outbox, push_outbox
):
    before = credits()
    with commit():
        order = place(by=staff, language=language)
    subscribe(order)
    with commit():
        pay(order, by=staff)
    with commit():
        services.accept(order, by=staff)
    with commit():
        services.start_preparation(order, by=staff)
    with commit():
        ship(order, by=staff)
    with commit():
        services.finalize(order, by=staff)
    order.refresh_from_db()

    n = order.number
    expected = [SUBJECTS[language][m].format(n=n) for m in ("order_placed", "payment_approved", "preparing", "shipped")]
    assert [m.subject for m in customer_mail()] == expected
    staff_mail = [m for m in mail.outbox if m.to == [settings.STORE_EMAIL]]
    assert [m.subject for m in staff_mail] == [f"New order {n} from María Pérez (ARS11,500.00)"]
    assert len(mail.outbox) == 5

    placed, _, _, shipped = customer_mail()
    assert TOTALS[language] in placed.body
    assert order.get_timeline_url() in placed.body
    assert TRACKING_CODE in shipped.body
    assert order.get_tracking_redirect_url() in shipped.body
    assert "Correo Argentino" in shipped.body

    assert [p.payload["title"] for p in push_outbox] == PUSH_TITLES[language]
    assert push_outbox[-1].payload["url"] == order.get_tracking_redirect_url()
    assert TRACKING_CODE in push_outbox[-1].payload["body"]

    assert len(sms_outbox) == 1
    assert sms_outbox[0].to == "+5491155550000"
    assert SMS_WORDS[language] in sms_outbox[0].body
    assert TRACKING_CODE in sms_outbox[0].body and order.get_tracking_redirect_url() in sms_outbox[0].body
    assert credits() == before - 1  # one GSM-7 segment

    rows = Notification.objects.filter(order=order)
    assert sorted(rows.values_list("milestone", "channel")) == sorted([
        ("order_placed", "email"), ("new_order", "email"),
        ("payment_approved", "email"), ("payment_approved", "push"),
        ("preparing", "email"), ("preparing", "push"),
        ("shipped", "email"), ("shipped", "push"), ("shipped", "sms"),
    ])
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    assert set(rows.exclude(milestone="new_order").values_list("language", flat=True)) == {language}
    assert rows.get(milestone="shipped", channel="email").provider_message_id  # anymail's test backend id


def test_cancelled_order_gets_the_cancellation_email_only(staff, commit):
    order = place(by=staff, language="es")
    mail.outbox = []
    with commit():
        services.cancel(order, by=staff, reason="Sin stock")
    assert [m.subject for m in mail.outbox] == [f"Tu pedido {order.number} fue cancelado"]


def test_pickup_order_never_gets_shipped_and_ready_for_pickup_carries_the_pickup_point(
    staff, commit, push_outbox, sms_outbox
):
    # Ready for pickup is on by default (email and push); finalized is not.
    order = pay(place(by=staff, fulfillment="pickup", language="es"), by=staff)
    services.accept(order, by=staff)
    services.start_preparation(order, by=staff)
    with pytest.raises(services.TransitionNotAllowed):
        ship(order, by=staff)
    mail.outbox = []
    with commit():
        services.mark_ready_for_pickup(order, by=staff)
    with commit():
        services.finalize(order, by=staff)

    assert not Notification.objects.filter(order=order, milestone="shipped").exists()
    assert [m.subject for m in mail.outbox] == [f"Tu pedido {order.number} está listo para retirar"]
    assert "Local Palermo, Honduras 4800, CABA" in mail.outbox[0].body
    assert sms_outbox == [] and push_outbox == []
    push = Notification.objects.get(order=order, milestone="ready_for_pickup", channel="push")
    assert (push.status, push.reason) == ("skipped", "no push subscription")
    assert not Notification.objects.filter(order=order, milestone="finalized").exists()


def test_a_shipped_signal_for_a_pickup_order_writes_no_notification(staff):
    order = place(by=staff, fulfillment="pickup")
    order_status_changed.send(
        sender=Order, order=order, from_status="preparing", to_status="shipped", by=staff, notify_customer=True
    )
    assert not Notification.objects.filter(order=order, milestone="shipped").exists()


def test_a_rolled_back_transition_sends_nothing_and_writes_no_row(staff, commit, push_outbox):
    order = pay(place(by=staff), by=staff)
    services.accept(order, by=staff)
    subscribe(order)
    mail.outbox = []

    class Boom(Exception):
        pass

    with commit(), pytest.raises(Boom):
        with transaction.atomic():
            services.start_preparation(order, by=staff)
            raise Boom

    order.refresh_from_db()
    assert order.status == "accepted"
    assert not Notification.objects.filter(order=order, milestone="preparing").exists()
    assert mail.outbox == [] and push_outbox == []


def test_a_repeated_signal_never_writes_or_sends_twice(staff, commit, push_outbox):
    order = pay(place(by=staff), by=staff)
    services.accept(order, by=staff)
    subscribe(order)
    mail.outbox = []
    with commit():
        order = services.start_preparation(order, by=staff)
        for _ in range(2):
            order_status_changed.send(
                sender=Order, order=order, from_status="accepted", to_status="preparing", by=staff,
                notify_customer=True,
            )
    assert Notification.objects.filter(order=order, milestone="preparing").count() == 2  # email and push
    assert len(mail.outbox) == 1 and len(push_outbox) == 1


def test_unticked_notify_the_customer_logs_skipped_with_the_reason(staff, commit, sms_outbox, push_outbox):
    order = pay(place(by=staff), by=staff)
    services.accept(order, by=staff)
    services.start_preparation(order, by=staff)
    subscribe(order)
    mail.outbox = []
    with commit():
        ship(order, by=staff, notify_customer=False)
    rows = Notification.objects.filter(order=order, milestone="shipped")
    assert sorted(rows.values_list("channel", "status", "reason_code")) == [
        ("email", "skipped", "not_notified"), ("push", "skipped", "not_notified"), ("sms", "skipped", "not_notified"),
    ]
    assert {row.reason for row in rows} == {"not notified at staff's request"}
    assert mail.outbox == [] and sms_outbox == [] and push_outbox == []


def test_emails_the_storefront_platform_sends_are_skipped_and_other_channels_still_go(
    staff, commit, push_outbox
):
    from tests.factories import storefront

    shop = storefront()
    shop.emails_sent_by_platform = ["payment_approved", "shipped"]
    shop.save()
    with commit():
        order = place(by=staff, storefront=shop)
    subscribe(order)
    with commit():
        pay(order, by=staff)
    email = Notification.objects.get(order=order, milestone="payment_approved", channel="email")
    assert (email.status, email.reason) == ("skipped", "sent by the store platform")
    assert Notification.objects.get(order=order, milestone="payment_approved", channel="push").status == "sent"
    # Milestones the platform does not email still go out from here.
    assert Notification.objects.get(order=order, milestone="order_placed", channel="email").status == "sent"
    assert [m.subject for m in customer_mail()] == [f"Recibimos tu pedido {order.number}"]
    assert len(push_outbox) == 1


def test_channels_without_an_address_are_skipped_with_the_reason(staff, commit, credits, sms_outbox):
    switch("preparing", email=True, sms=True, push=True)
    order = pay(place(by=staff, email="", phone="+541155550000"), by=staff)  # a landline: no SMS
    services.accept(order, by=staff)
    with commit():
        services.start_preparation(order, by=staff)
    rows = Notification.objects.filter(order=order, milestone="preparing")
    assert sorted((row.channel, row.status, row.reason) for row in rows) == [
        ("email", "skipped", "no email address"),
        ("push", "skipped", "no push subscription"),
        ("sms", "skipped", "no valid mobile number"),
    ]
    assert sms_outbox == []


def test_the_fallback_channel_tells_a_customer_without_push_subscription(staff, commit, credits, sms_outbox):
    switch("preparing", email=False, sms=False, push=True, fallback_channel="sms")
    order = pay(place(by=staff), by=staff)
    services.accept(order, by=staff)
    before = credits()
    with commit():
        services.start_preparation(order, by=staff)
    push = Notification.objects.get(order=order, milestone="preparing", channel="push")
    sms = Notification.objects.get(order=order, milestone="preparing", channel="sms")
    assert (push.status, push.reason) == ("skipped", "no push subscription")
    assert (sms.status, sms.fallback_for) == ("sent", "push")
    assert len(sms_outbox) == 1 and order.number in sms_outbox[0].body
    assert credits() == before - 1


def test_a_switched_off_channel_writes_no_row(staff, commit):
    switch("order_placed", email=False)
    with commit():
        order = place(by=staff)
    assert not Notification.objects.filter(order=order, milestone="order_placed").exists()
    assert [m.to for m in mail.outbox] == [[settings.STORE_EMAIL]]  # the staff still hear of it


def test_payment_approved_only_when_the_order_becomes_paid(staff, commit):
    order = place(by=staff)
    mail.outbox = []
    with commit():
        services.register_payment(order, by=staff, amount="5000.00")
    assert not Notification.objects.filter(order=order, milestone="payment_approved").exists()
    with commit():
        services.register_payment(order, by=staff, amount="6500.00")
    assert Notification.objects.filter(order=order, milestone="payment_approved", status="sent").count() == 1
    assert [m.subject for m in mail.outbox] == [f"Pago aprobado: pedido {order.number}"]
