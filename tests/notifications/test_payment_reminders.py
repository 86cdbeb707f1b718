"""Unpaid orders: one payment reminder with how to pay, the system's cancellation, the sweep's schedule."""
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import close_old_connections, connection
from django.utils import timezone

from notifications.models import Notification
from orders import services
from orders.models import Order, OrderEvent
from orders.schedules import UNPAID_SWEEP_NAME, register_schedules
from tests.utils import requires_postgres

from .helpers import pay, place, switch

pytestmark = pytest.mark.django_db

BANK = "Banco Demo · CBU 0000003100010000000001 · alias TIENDA.DEMO"


@pytest.fixture(autouse=True)
def _transfer_details(settings):
    settings.STORE_TRANSFER_DETAILS = BANK
    settings.UNPAID_REMINDER_HOURS = 24
    settings.UNPAID_CANCEL_DAYS = None


def placed_ago(order, **ago):
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(**ago))
    order.refresh_from_db()
    return order


def reminders(order=None):
    rows = Notification.objects.filter(milestone="payment_reminder")
    return rows.filter(order=order) if order is not None else rows


def test_an_unpaid_transfer_order_gets_one_reminder_with_the_bank_details(staff, commit):
    order = placed_ago(place(by=staff, language="es"), hours=25)
    mail.outbox = []
    with commit():
        assert services.sweep_unpaid() == {"cancelled": 0, "reminded": 1}
    with commit():
        assert services.sweep_unpaid() == {"cancelled": 0, "reminded": 0}  # once, ever

    [email] = mail.outbox
    assert email.subject == f"Recordatorio de pago: pedido {order.number}"
    assert BANK in email.body and "comprobante" in email.body
    assert reminders(order).get().status == "sent"
    order.refresh_from_db()
    assert order.payment_reminded_at is not None


@pytest.mark.parametrize("language, subject", [
    ("pt-br", "Lembrete de pagamento: pedido"), ("en", "Payment reminder: order"),
])
def test_the_reminder_speaks_the_orders_language(staff, commit, language, subject):
    order = placed_ago(place(by=staff, language=language), hours=30)
    mail.outbox = []
    with commit():
        services.sweep_unpaid()
    [email] = mail.outbox
    assert email.subject == f"{subject} {order.number}" and BANK in email.body


def test_who_is_not_reminded(staff, commit):
    young = placed_ago(place(by=staff), hours=23)
    paid = pay(placed_ago(place(by=staff), hours=30), by=staff)
    cash = placed_ago(place(by=staff, payment_method="cash_on_delivery"), hours=30)
    online = placed_ago(place(by=staff, payment_method="online"), hours=30)
    cancelled = placed_ago(place(by=staff), hours=30)
    services.cancel(cancelled, by=staff, reason="Pedido duplicado")
    ancient = placed_ago(place(by=staff), days=40)  # reminders just turned on: old orders are left alone
    with commit():
        assert services.sweep_unpaid()["reminded"] == 0
    for order in (young, paid, cash, online, cancelled, ancient):
        assert not reminders(order).exists()


def test_a_payment_link_order_is_reminded_too(staff, commit):
    order = placed_ago(place(by=staff, payment_method="payment_link", language="en"), hours=25)
    mail.outbox = []
    with commit():
        services.sweep_unpaid()
    [email] = mail.outbox
    assert "still waiting for its payment" in email.body
    assert BANK not in email.body  # the bank details are for transfer orders


def test_no_reminders_when_the_hours_are_zero(staff, commit, settings):
    settings.UNPAID_REMINDER_HOURS = 0
    placed_ago(place(by=staff), hours=30)
    with commit():
        assert services.sweep_unpaid() == {"cancelled": 0, "reminded": 0}
    assert not reminders().exists()


def test_a_reminder_still_queued_when_the_order_is_paid_is_skipped(staff, django_capture_on_commit_callbacks):
    order = placed_ago(place(by=staff), hours=25)
    services.sweep_unpaid()  # its delivery waits for the commit
    pay(order, by=staff)
    from notifications.services import deliver

    deliver(reminders(order).get().pk)
    row = reminders(order).get()
    assert (row.status, row.reason) == ("skipped", "the order was paid (or moved on) before the reminder went out")


def test_only_email_is_on_by_default_and_staff_may_add_sms(staff, commit, credits, sms_outbox):
    order = placed_ago(place(by=staff), hours=25)
    with commit():
        services.sweep_unpaid()
    assert set(reminders(order).values_list("channel", flat=True)) == {"email"}
    switch("payment_reminder", email=True, sms=True)
    other = placed_ago(place(by=staff), hours=25)
    with commit():
        services.sweep_unpaid()
    assert set(reminders(other).values_list("channel", flat=True)) == {"email", "sms"}
    assert [message for message in sms_outbox if other.number in message.body]


def test_unpaid_orders_are_cancelled_by_the_system_with_a_reason_the_customer_reads(staff, commit, settings):
    settings.UNPAID_CANCEL_DAYS = 3
    order = placed_ago(place(by=staff, language="es"), days=3, minutes=1)
    waiting = placed_ago(place(by=staff), days=2)
    mail.outbox = []
    with commit():
        counts = services.sweep_unpaid()
    assert counts["cancelled"] == 1

    order.refresh_from_db()
    assert order.status == "cancelled"
    event = OrderEvent.objects.get(order=order, to_status="cancelled")
    assert event.actor is None  # the system
    assert event.note == "El pago no llegó dentro de los 3 días posteriores al pedido."
    [email] = [m for m in mail.outbox if order.number in m.subject]
    assert "Motivo: El pago no llegó dentro de los 3 días posteriores al pedido." in email.body
    waiting.refresh_from_db()
    assert waiting.status == "pending"
    with commit():
        assert services.sweep_unpaid()["cancelled"] == 0


def test_nothing_is_cancelled_by_default(staff, commit):
    order = placed_ago(place(by=staff), days=60)
    with commit():
        services.sweep_unpaid()
    order.refresh_from_db()
    assert order.status == "pending"


def test_the_sweep_is_a_periodic_schedule_registered_once():
    from django_q.models import Schedule

    register_schedules()
    register_schedules()
    schedule = Schedule.objects.get(name=UNPAID_SWEEP_NAME)
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (
        "orders.tasks.sweep_unpaid_orders", Schedule.MINUTES, 10,
    )


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_send_one_reminder_per_order(staff):
    orders = [placed_ago(place(by=staff, email=f"cliente{n}@example.com"), hours=25) for n in range(12)]
    mail.outbox = []
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait()
            services.sweep_unpaid()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert reminders().count() == len(orders)
    assert sorted(reminders().values_list("order_id", flat=True)) == sorted(order.pk for order in orders)
    subjects = [m.subject for m in mail.outbox if m.subject.startswith("Recordatorio de pago")]
    assert len(subjects) == len(set(subjects)) == len(orders)


@pytest.mark.parametrize("language, subject, how", [
    ("es", "Recibimos tu pedido", "Para pagarlo por transferencia:"),
    ("pt-br", "Recebemos o seu pedido", "Para pagar por transferência:"),
    ("en", "We received your order", "To pay by bank transfer:"),
])
def test_a_transfer_orders_receipt_carries_the_bank_details(staff, commit, language, subject, how):
    with commit():
        order = place(by=staff, language=language)

    [email] = [email for email in mail.outbox if email.to == ["maria@example.com"]]
    assert email.subject == f"{subject} {order.number}"
    assert f"{how}\n{BANK}\n\n" in email.body


def test_the_receipt_of_another_payment_method_or_without_bank_details_says_none(staff, commit, settings):
    with commit():
        cash = place(by=staff, payment_method="cash_on_delivery", language="en")
    settings.STORE_TRANSFER_DETAILS = ""
    with commit():
        transfer = place(by=staff, language="en")

    receipts = {email.subject: email.body for email in mail.outbox if email.to == ["maria@example.com"]}
    for order in (cash, transfer):
        body = receipts[f"We received your order {order.number}"]
        assert "bank transfer" not in body and BANK not in body
        assert "for a total of" in body and "\n\n\n" not in body
