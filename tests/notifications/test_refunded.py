"""The `refunded` milestone: the customer is told by email (on by default) what the store refunded."""
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from notifications.defaults import DEFAULT_SWITCHES, default_template
from notifications.models import MessageTemplate, Milestone, MilestoneSetting, Notification
from notifications.rules import overview_rows
from orders import services

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


def test_one_message_per_order_telling_what_was_refunded_when_it_goes_out(staff):
    """Two refunds in a row before the worker runs: one email, with both amounts added up."""
    from notifications import services as notification_services

    order = cancelled_paid(staff, language="en")
    services.register_refund(order, by=staff, amount=Decimal("1500.00"))
    services.register_refund(order, by=staff, amount=Decimal("10000.00"))

    [row] = refund_rows(order)
    notification_services.deliver(row.pk)
    [email] = mail.outbox
    assert f"We've refunded {order.format_money(Decimal('11500.00'), 'en')}" in email.body


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
