"""The `refunded` milestone: the customer is told by email (on by default) what the store refunded."""
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.db import close_old_connections, connection, transaction
from django.core.exceptions import ValidationError

from notifications.defaults import DEFAULT_SWITCHES, default_template
from notifications.models import MessageTemplate, Milestone, MilestoneSetting, Notification
from notifications.rules import overview_rows
from orders import services
from orders.models import Order
from tests.utils import requires_postgres

from .helpers import pay, place

pytestmark = pytest.mark.django_db


def cancelled_paid(staff, **fields):
    order = pay(place(by=staff, **fields), by=staff, notify_customer=False)
    return services.cancel(order, by=staff, reason="Sin stock", notify_customer=False)


def refund_rows(order):
    return list(Notification.objects.filter(order=order, milestone=Milestone.REFUNDED).order_by("channel"))


@pytest.mark.parametrize(("language", "subject", "sentence"), [
    ("es", "Reintegro de tu pedido {number}", "Te hicimos un reintegro de {amount} por tu pedido {number}."),
    ("pt-br", "Reembolso do seu pedido {number}", "Fizemos o reembolso de {amount} referente ao seu pedido {number}."),
    ("en", "Refund for your order {number}", "We've refunded {amount} for your order {number}."),
])
def test_a_refund_emails_the_customer_the_amount_in_their_language(staff, commit, language, subject, sentence):
    order = cancelled_paid(staff, language=language)

    with commit():
        services.register_refund(order, by=staff, amount=Decimal("11500.00"), note="Sin stock: interna")

    [email] = mail.outbox
    amount = order.format_money(Decimal("11500.00"), language)
    assert email.to == ["maria@example.com"]
    assert email.subject == subject.format(number=order.number)
    assert sentence.format(amount=amount, number=order.number) in email.body
    assert order.get_timeline_url() in email.body
    assert "interna" not in email.body  # the staff's note stays with the staff
    [row] = refund_rows(order)
    assert (row.channel, row.status) == ("email", "sent")


def test_email_only_by_default(staff, commit, sms_outbox, push_outbox):
    assert DEFAULT_SWITCHES["refunded"] == {"email": True, "sms": False, "push": False, "whatsapp": False}
    order = cancelled_paid(staff)

    with commit():
        services.register_refund(order, by=staff, amount=Decimal("100.00"))

    assert [row.channel for row in refund_rows(order)] == ["email"]
    assert sms_outbox == [] and push_outbox == []


def test_a_refund_recorded_without_notifying_is_logged_skipped(staff, commit):
    order = cancelled_paid(staff)

    with commit():
        services.register_refund(order, by=staff, amount=Decimal("100.00"), notify_customer=False)

    assert mail.outbox == []
    [row] = refund_rows(order)
    assert (row.status, row.reason) == ("skipped", "not notified at staff's request")


def test_every_refund_tells_the_customer_its_own_amount_and_the_total_up_to_it(staff):
    """Two refunds in a row before the worker runs: two emails, each with its refund's amount; the
    second also says what was refunded in all, however late the first goes out."""
    from notifications import services as notification_services

    order = cancelled_paid(staff, language="en")
    first = services.register_refund(order, by=staff, amount=Decimal("1500.00"))
    second = services.register_refund(order, by=staff, amount=Decimal("10000.00"))

    rows = list(Notification.objects.filter(order=order, milestone=Milestone.REFUNDED).order_by("-id"))
    assert [(row.refund_id, row.channel) for row in rows] == [(second.pk, "email"), (first.pk, "email")]
    for row in rows:  # the later refund's message first
        notification_services.deliver(row.pk)
    money = lambda amount: order.format_money(Decimal(amount), "en")  # noqa: E731
    later, earlier = mail.outbox
    assert f"We've refunded {money('10000.00')} for your order {order.number}; in all, we've refunded " \
           f"{money('11500.00')}." in later.body
    assert f"We've refunded {money('1500.00')} for your order {order.number}. Depending" in earlier.body
    assert "in all" not in earlier.body


@pytest.mark.parametrize(("language", "first", "second"), [
    ("es", "te reintegramos {a} de tu pedido {n}. ", "te reintegramos {b} de tu pedido {n} ({t} en total). "),
    ("pt-br", "reembolsamos {a} do seu pedido {n}. ", "reembolsamos {b} do seu pedido {n} ({t} no total). "),
    ("en", "we refunded {a} for your order {n}. ", "we refunded {b} for your order {n} ({t} in all). "),
])
def test_each_refund_is_an_sms_and_a_push_of_its_own(staff, commit, credits, sms_outbox, push_outbox, language,
                                                   first, second):
    from .helpers import subscribe, switch

    switch("refunded", email=False, sms=True, push=True)
    order = cancelled_paid(staff, language=language)
    subscribe(order)

    with commit():
        services.register_refund(order, by=staff, amount=Decimal("1000.00"))
    with commit():
        services.register_refund(order, by=staff, amount=Decimal("500.00"))

    money = lambda amount: order.format_money(Decimal(amount), language)  # noqa: E731
    from billing.sms import to_gsm7_friendly

    expected = [to_gsm7_friendly(first.format(a=money("1000.00"), n=order.number)),
                to_gsm7_friendly(second.format(b=money("500.00"), t=money("1500.00"), n=order.number))]
    bodies = [message.body for message in sms_outbox]
    assert len(bodies) == 2 and all(part in body for part, body in zip(expected, bodies)), bodies
    assert len(push_outbox) == 2
    assert len({push.payload["tag"] for push in push_outbox}) == 2  # the second does not replace the first


def test_a_refund_repeated_by_its_signal_tells_the_customer_once(staff, commit):
    from notifications import services as notification_services

    order = cancelled_paid(staff)
    with commit():
        refund = services.register_refund(order, by=staff, amount=Decimal("100.00"))

    assert notification_services.record_milestone(order, Milestone.REFUNDED, refund=refund) == []
    assert len(refund_rows(order)) == 1 and len(mail.outbox) == 1


def test_resending_a_refund_message_tells_of_the_same_refund(staff, commit):
    from notifications import services as notification_services

    order = cancelled_paid(staff, language="en")
    with commit():
        first = services.register_refund(order, by=staff, amount=Decimal("100.00"))
    with commit():
        services.register_refund(order, by=staff, amount=Decimal("200.00"))
    [row] = Notification.objects.filter(refund=first)

    with commit():
        [resent] = notification_services.resend([row.pk]).rows

    assert resent.refund_id == first.pk
    assert mail.outbox[-1].body == mail.outbox[0].body


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_refunds_racing_each_other_each_tell_the_customer_exactly_once():
    """Three refunds registered at once, then each refund's signal sent again three times at once:
    one email per refund, each with its own amount and the total up to it."""
    from notifications import services as notification_services
    from tests.factories import UserFactory

    staff = UserFactory()
    order = cancelled_paid(staff, language="en")
    amounts = [Decimal("1000.00"), Decimal("2000.00"), Decimal("3000.00")]

    def race(work, count):
        barrier = threading.Barrier(count)

        def run(index):
            try:
                barrier.wait(timeout=10)
                work(index)
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        close_old_connections()

    race(lambda i: services.register_refund(Order.objects.get(pk=order.pk), by=staff, amount=amounts[i]), 3)
    refunds = list(order.refunds.order_by("pk"))

    def again(index):
        with transaction.atomic():
            notification_services.record_milestone(
                Order.objects.get(pk=order.pk), Milestone.REFUNDED, refund=refunds[index % 3]
            )

    race(again, 9)

    rows = refund_rows(order)
    assert sorted(row.refund_id for row in rows) == [refund.pk for refund in refunds]
    assert all(row.status == "sent" for row in Notification.objects.filter(pk__in=[row.pk for row in rows]))
    emails = [email for email in mail.outbox if email.subject == f"Refund for your order {order.number}"]
    assert len(emails) == 3
    money = lambda amount: order.format_money(amount, "en")  # noqa: E731
    running = Decimal("0")
    for refund in refunds:
        running += refund.amount
        [email] = [email for email in emails if f"We've refunded {money(refund.amount)} " in email.body]
        if running != refund.amount:
            assert f"in all, we've refunded {money(running)}." in email.body


def test_every_refunded_message_must_carry_the_amount():
    template = MessageTemplate(milestone="refunded", channel="sms", language="es",
                               **{**default_template("refunded", "sms", "es"), "body": "Te reembolsamos."})

    with pytest.raises(ValidationError) as invalid:
        template.full_clean(validate_constraints=False)

    assert invalid.value.message_dict["body"] == ["This message must always carry {{ refund_amount }}."]
    for channel in ("email", "sms", "push"):
        for language in ("es", "pt-br", "en"):
            MessageTemplate(milestone="refunded", channel=channel, language=language,
                            **default_template("refunded", channel, language)).full_clean(validate_constraints=False)


def test_what_customers_receive_lists_the_refund_message():
    [row] = [row for row in overview_rows() if row["label"] == "Refunded"]

    assert row["type"] == "Payment"
    assert [(m["code"], m["channels"]) for m in row["milestones"]] == [("refunded", ["Email"])]


def test_seed_reference_data_gives_a_store_without_it_the_refunded_switch_and_texts():
    """A store set up before refunds: `setup_project` (seed_reference_data) adds the milestone, email on."""
    from config.management.commands.seed_reference_data import seed_reference_data

    MilestoneSetting.objects.filter(milestone="refunded").delete()
    MessageTemplate.objects.filter(milestone="refunded").delete()
    MessageTemplate.objects.filter(milestone="cancelled", channel="email", language="es").update(subject="Mío")

    seed_reference_data()

    setting = MilestoneSetting.objects.get(milestone="refunded")
    assert (setting.email, setting.sms, setting.push) == (True, False, False)
    assert {(t.channel, t.language) for t in MessageTemplate.objects.filter(milestone="refunded")} == {
        (channel, language) for channel in ("email", "sms", "push") for language in ("es", "pt-br", "en")
    }
    assert MessageTemplate.objects.get(milestone="cancelled", channel="email", language="es").subject == "Mío"
