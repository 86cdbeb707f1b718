"""The checkout recovery message: written on checkout_abandoned, delivered with the resume link, once."""
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from checkouts.models import Checkout
from checkouts.signals import checkout_abandoned
from notifications.models import MessageTemplate, MilestoneSetting, Notification
from notifications.tasks import deliver_notification
from tests.factories import OrderFactory, storefront

from .helpers import switch

pytestmark = pytest.mark.django_db

RESUME = "https://tienda.example.com/checkout/resume/abc123/"


def make_checkout(**fields):
    values = dict(
        storefront=storefront(), external_id="chk-1001", customer_name="Ana Souza", customer_email="ana@example.com",
        customer_phone="+5491155550000", language="pt-br", currency="BRL", total=Decimal("259.90"),
        lines=[{"sku": "REM-001", "name": "Camiseta", "quantity": 2, "unit_price": "129.95"}], resume_url=RESUME,
    )
    values.update(fields)
    return Checkout.objects.create(**values)


def abandon(checkout):
    """What the checkouts app does when the delay passed: mark it reminded and say so, in one transaction."""
    with transaction.atomic():
        Checkout.objects.filter(pk=checkout.pk).update(status=Checkout.Status.REMINDED, reminded_at=timezone.now())
        checkout.status = Checkout.Status.REMINDED
        checkout_abandoned.send(sender=Checkout, checkout=checkout)


def recover(checkout):
    order = OrderFactory()
    Checkout.objects.filter(pk=checkout.pk).update(
        status=Checkout.Status.RECOVERED, order=order, recovered_at=timezone.now()
    )


def test_email_is_on_by_default_and_the_templates_carry_the_resume_link():
    setting = MilestoneSetting.objects.get(milestone="checkout_recovery")
    assert (setting.email, setting.sms, setting.push) == (True, False, False)
    templates = MessageTemplate.objects.filter(milestone="checkout_recovery")
    assert sorted(templates.values_list("channel", "language")) == [
        ("email", "en"), ("email", "es"), ("email", "pt-br"), ("sms", "en"), ("sms", "es"), ("sms", "pt-br"),
    ]
    assert all("{{ resume_link }}" in t.body for t in templates)


def test_the_signal_writes_the_row_and_the_worker_sends_the_resume_link(commit):
    checkout = make_checkout()
    with commit():
        abandon(checkout)

    row = Notification.objects.get(checkout=checkout)
    assert (row.order, row.milestone, row.channel, row.status, row.language) == (
        None, "checkout_recovery", "email", "sent", "pt-br"
    )
    [email] = mail.outbox
    assert email.to == ["ana@example.com"]
    assert email.subject == "Sua compra na Tienda Demo está esperando por você"
    assert "Olá, Ana!" in email.body
    assert RESUME in email.body
    assert "2 × Camiseta" in email.body and "R$\xa0259,90" in email.body


def test_a_checkout_recovered_before_delivery_is_skipped(commit):
    checkout = make_checkout()
    abandon(checkout)  # no on-commit hooks: the row waits in the outbox
    row = Notification.objects.get(checkout=checkout)
    recover(checkout)

    assert deliver_notification(row.pk) == "skipped"
    row.refresh_from_db()
    assert (row.status, row.reason) == ("skipped", "the checkout was recovered")
    assert mail.outbox == []


def test_never_twice_for_one_checkout(commit, credits, sms_outbox):
    switch("checkout_recovery", email=True, sms=True)
    checkout = make_checkout(language="es")
    before = credits()
    with commit():
        abandon(checkout)
        abandon(checkout)  # a repeated signal
    assert sorted(Notification.objects.filter(checkout=checkout).values_list("channel", "status")) == [
        ("email", "sent"), ("sms", "sent"),
    ]
    assert len(mail.outbox) == 1 and len(sms_outbox) == 1
    assert sms_outbox[0].body == f"Tienda Demo: tu compra te esta esperando. Terminala aqui: {RESUME}"
    assert credits() == before - 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(checkout=checkout, milestone="checkout_recovery", channel="email")


def test_a_checkout_without_email_falls_back_to_sms_when_staff_chose_it(commit, credits, sms_outbox):
    switch("checkout_recovery", email=True, sms=False, fallback_channel="sms")
    checkout = make_checkout(customer_email="", language="en")
    with commit():
        abandon(checkout)
    rows = Notification.objects.filter(checkout=checkout)
    assert sorted(rows.values_list("channel", "status", "reason_code", "fallback_for")) == [
        ("email", "skipped", "no_email", ""), ("sms", "sent", "", "email"),
    ]
    assert sms_outbox[0].body == f"Tienda Demo: your order is waiting for you. Finish it here: {RESUME}"


def test_the_storefront_platform_may_send_the_recovery_email_itself(commit):
    checkout = make_checkout()
    checkout.storefront.emails_sent_by_platform = ["checkout_recovery"]
    checkout.storefront.save()
    with commit():
        abandon(checkout)
    row = Notification.objects.get(checkout=checkout)
    assert (row.status, row.reason) == ("skipped", "sent by the store platform")
    assert mail.outbox == []


def test_a_row_has_an_order_or_a_checkout_never_both_nor_neither():
    checkout = make_checkout()
    order = OrderFactory()
    for fields in ({}, {"order": order, "checkout": checkout}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Notification.objects.create(milestone="checkout_recovery", channel="email", **fields)


def test_the_log_lists_checkout_rows(staff_client, commit):
    checkout = make_checkout()
    with commit():
        abandon(checkout)
    response = staff_client.get("/admin/notifications/notification/", {"q": "chk-1001"})
    assert response.status_code == 200
    assert [n.checkout_id for n in response.context["cl"].result_list] == [checkout.pk]
    assert "checkout chk-1001" in response.content.decode()
    row = Notification.objects.get(checkout=checkout)
    assert staff_client.get(f"/admin/notifications/notification/{row.pk}/change/").status_code == 200


def test_the_template_preview_uses_a_real_checkout(staff_client):
    make_checkout(external_id="chk-2002", language="es")
    template = MessageTemplate.objects.get(milestone="checkout_recovery", channel="sms", language="es")
    response = staff_client.get(f"/admin/notifications/messagetemplate/{template.pk}/preview/", {"order": "chk-2002"})
    assert response.status_code == 200
    assert RESUME in response.context["rendered"].body
    assert response.context["cost"]["segments"] == 1
