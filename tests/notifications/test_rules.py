"""Notification rules: which changes fire them, their filters, the delay, exactly once, SMS credits."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

from billing.models import LedgerEntry
from notifications.backends import PermanentError
from notifications.backends.sms import locmem as sms_locmem
from notifications.models import DailyNotificationCount, MessageTemplate, Notification
from notifications.services import purge_log
from notifications.tasks import deliver_notification
from orders import services
from orders.models import Order
from orders.signals import order_status_changed
from tests.factories import OrderFactory, carrier

from .factories import NotificationRuleFactory
from .helpers import pay, place, ship, switch

pytestmark = pytest.mark.django_db

OUT_FOR_DELIVERY = ("delivery", "out_for_delivery")


def set_delivery(order, code, *, by, notify_customer=True):
    return services.set_custom_status(
        order, by=by, status_type="delivery", code=code, notify_customer=notify_customer
    )


def rule_rows(rule, order=None):
    rows = Notification.objects.filter(rule=rule)
    return rows.filter(order=order) if order is not None else rows


def accepted_order(staff, **fields):
    order = pay(place(by=staff, **fields), by=staff)
    return services.accept(order, by=staff)


# --- the trigger ------------------------------------------------------------------------------


def test_a_rule_from_any_status_fires_on_the_change_to_its_status_and_is_delivered(staff, commit):
    rule = NotificationRuleFactory(to_status="preparing", channel="email")
    order = accepted_order(staff, language="en")
    mail.outbox = []
    with commit():
        services.start_preparation(order, by=staff)

    row = rule_rows(rule).get()
    assert (row.order, row.milestone, row.channel, row.status) == (order, "rule", "email", "sent")
    assert row.language == "en"
    rule_mail = [m for m in mail.outbox if m.subject == f"News about your order {order.number}"]
    assert len(rule_mail) == 1 and order.get_timeline_url() in rule_mail[0].body
    # The built-in milestone still goes out beside it.
    assert Notification.objects.get(order=order, milestone="preparing", channel="email").status == "sent"


def test_a_rule_from_a_status_fires_only_when_the_order_comes_from_that_status(staff, commit):
    rule = NotificationRuleFactory(from_status="accepted", to_status="cancelled")
    from_pending = place(by=staff)
    from_accepted = accepted_order(staff)
    with commit():
        services.cancel(from_pending, by=staff, reason="Sin stock")
        services.cancel(from_accepted, by=staff, reason="Sin stock")

    assert list(rule_rows(rule).values_list("order", flat=True)) == [from_accepted.pk]


def test_a_rule_does_not_fire_for_another_to_status_or_when_it_is_off(staff, commit):
    shipped_rule = NotificationRuleFactory(to_status="shipped")
    off_rule = NotificationRuleFactory(to_status="preparing", active=False)
    order = accepted_order(staff)
    with commit():
        services.start_preparation(order, by=staff)
    assert not Notification.objects.filter(rule__in=[shipped_rule, off_rule]).exists()


def test_a_rule_to_pending_fires_for_a_new_order(staff, commit):
    rule = NotificationRuleFactory(to_status="pending")
    with commit():
        order = place(by=staff)
    assert rule_rows(rule, order).get().status == "sent"


def test_a_custom_status_rule_fires_from_any_or_from_its_from_status(staff, commit):
    from_any = NotificationRuleFactory(custom=OUT_FOR_DELIVERY)
    from_in_transit = NotificationRuleFactory(custom=OUT_FOR_DELIVERY, from_custom=("delivery", "in_transit"))
    payment_rule = NotificationRuleFactory(custom=("payment", "invoice_issued"))
    straight, via_transit = OrderFactory(), OrderFactory()
    with commit():
        set_delivery(straight, "out_for_delivery", by=staff)  # from no delivery status at all
        set_delivery(via_transit, "in_transit", by=staff)
        set_delivery(via_transit, "out_for_delivery", by=staff)

    assert sorted(rule_rows(from_any).values_list("order", flat=True)) == sorted([straight.pk, via_transit.pk])
    assert list(rule_rows(from_in_transit).values_list("order", flat=True)) == [via_transit.pk]
    assert not rule_rows(payment_rule).exists()
    assert set(Notification.objects.filter(rule__isnull=False).values_list("status", flat=True)) == {"sent"}


# --- the filters -----------------------------------------------------------------------------


@pytest.mark.parametrize("filters, matching, other", [
    ({"payment_methods": ["cash_on_delivery"]}, {"payment_method": "cash_on_delivery"}, {"payment_method": "transfer"}),
    ({"fulfillment_methods": ["pickup"]}, {"pickup": True}, {}),
    ({"carriers": ["andreani"]}, {"carrier_code": "andreani"}, {"carrier_code": "oca"}),
    ({"cities": ["Cordoba", "Rosario"]}, {"city": "  CÓRDOBA "}, {"city": "Mendoza"}),
    ({"min_total": Decimal("10000")}, {"total": Decimal("10000")}, {"total": Decimal("9999.99")}),
    ({"max_total": Decimal("5000")}, {"total": Decimal("5000")}, {"total": Decimal("5000.01")}),
    ({"languages": ["pt-br"]}, {"language": "pt-br"}, {"language": "es"}),
], ids=["payment method", "delivery method", "carrier", "city", "total from", "total up to", "language"])
def test_each_filter_lets_only_matching_orders_through(staff, filters, matching, other):
    rule = NotificationRuleFactory(custom=OUT_FOR_DELIVERY, **filters)
    orders = []
    for fields in (matching, other):
        fields = dict(fields)
        code = fields.pop("carrier_code", None)
        if code:
            fields["carrier"] = carrier(code)
        order = OrderFactory(**fields)
        set_delivery(order, "out_for_delivery", by=staff)
        orders.append(order)
    assert list(rule_rows(rule).values_list("order", flat=True)) == [orders[0].pk]


def test_every_filter_must_pass(staff):
    rule = NotificationRuleFactory(
        custom=OUT_FOR_DELIVERY, payment_methods=["transfer"], languages=["es"], cities=["Córdoba"]
    )
    passes = OrderFactory(payment_method="transfer", language="es", city="Córdoba")
    wrong_city = OrderFactory(payment_method="transfer", language="es", city="Salta")
    for order in (passes, wrong_city):
        set_delivery(order, "out_for_delivery", by=staff)
    assert list(rule_rows(rule).values_list("order", flat=True)) == [passes.pk]


# --- exactly once ----------------------------------------------------------------------------


def test_a_repeated_change_sends_a_rule_once(staff, commit):
    rule = NotificationRuleFactory(custom=OUT_FOR_DELIVERY)
    order = OrderFactory(customer_email="ana@example.com")
    with commit():
        set_delivery(order, "out_for_delivery", by=staff)
        set_delivery(order, "delivery_failed", by=staff)
        set_delivery(order, "out_for_delivery", by=staff)  # the second attempt to deliver
    assert rule_rows(rule).count() == 1
    assert len([m for m in mail.outbox if m.to == ["ana@example.com"]]) == 1


def test_a_rule_still_sends_once_when_the_change_comes_again_after_its_log_row_was_purged(staff, commit):
    rule = NotificationRuleFactory(custom=OUT_FOR_DELIVERY)
    order = OrderFactory(customer_email="ana@example.com")
    with commit():
        set_delivery(order, "out_for_delivery", by=staff)
        set_delivery(order, "delivery_failed", by=staff)
    Notification.objects.filter(rule=rule).update(created_at=timezone.now() - timedelta(days=10))
    assert purge_log() == 1

    with commit():
        set_delivery(order, "out_for_delivery", by=staff)  # weeks later, the carrier tries again

    assert not rule_rows(rule).exists()
    assert len([m for m in mail.outbox if m.to == ["ana@example.com"]]) == 1


def test_a_repeated_signal_writes_one_rule_row(staff, commit):
    rule = NotificationRuleFactory(to_status="preparing")
    order = accepted_order(staff)
    with commit():
        order = services.start_preparation(order, by=staff)
        order_status_changed.send(
            sender=Order, order=order, from_status="accepted", to_status="preparing", by=staff, notify_customer=True
        )
    assert rule_rows(rule).count() == 1


def test_a_rolled_back_change_writes_no_rule_row(staff):
    rule = NotificationRuleFactory(custom=OUT_FOR_DELIVERY)
    order = OrderFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        set_delivery(order, "out_for_delivery", by=staff)
        raise RuntimeError
    assert not rule_rows(rule).exists()


def test_two_rules_on_the_same_change_each_send_once(staff, commit):
    email_rule = NotificationRuleFactory(custom=OUT_FOR_DELIVERY, channel="email")
    other_email_rule = NotificationRuleFactory(custom=OUT_FOR_DELIVERY, channel="email")
    order = OrderFactory()
    with commit():
        set_delivery(order, "out_for_delivery", by=staff)
    assert rule_rows(email_rule).count() == 1 and rule_rows(other_email_rule).count() == 1
    assert len(mail.outbox) == 2


def test_unticked_notify_the_customer_logs_the_rule_row_skipped(staff, commit):
    rule = NotificationRuleFactory(custom=OUT_FOR_DELIVERY)
    order = OrderFactory()
    with commit():
        set_delivery(order, "out_for_delivery", by=staff, notify_customer=False)
    row = rule_rows(rule).get()
    assert (row.status, row.reason) == ("skipped", "not notified at staff's request")
    assert mail.outbox == []


# --- the delay -------------------------------------------------------------------------------


def time_passes(row):
    """The delay is over: the row and its one-off schedule are due now."""
    past = timezone.now() - timedelta(seconds=1)
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=past)
    Schedule.objects.filter(func="notifications.tasks.deliver_notification", args=repr(row.pk)).update(next_run=past)


def run_due_schedules():
    from django_q.scheduler import scheduler

    scheduler()  # Q_CLUSTER sync: the due tasks run inline


def test_a_delayed_rule_waits_then_fires_through_its_schedule(staff, commit, credits, sms_outbox):
    rule = NotificationRuleFactory(custom=OUT_FOR_DELIVERY, channel="sms", delay_minutes=120)
    order = OrderFactory()
    before = credits()
    with commit():
        set_delivery(order, "out_for_delivery", by=staff)

    row = rule_rows(rule).get()
    assert row.status == "queued"
    assert timedelta(minutes=119) < row.next_attempt_at - timezone.now() <= timedelta(minutes=120)
    schedule = Schedule.objects.get(func="notifications.tasks.deliver_notification", args=repr(row.pk))
    assert schedule.next_run == row.next_attempt_at
    assert deliver_notification(row.pk) is None  # too early: nothing happens
    assert sms_outbox == []

    time_passes(row)
    run_due_schedules()
    row.refresh_from_db()
    assert row.status == "sent"
    assert len(sms_outbox) == 1 and order.number in sms_outbox[0].body
    assert credits() == before - 1


def test_a_delayed_rule_is_skipped_when_the_order_moved_on(staff, commit, credits, sms_outbox):
    rule = NotificationRuleFactory(custom=OUT_FOR_DELIVERY, channel="sms", delay_minutes=120)
    order = OrderFactory()
    before = credits()
    with commit():
        set_delivery(order, "out_for_delivery", by=staff)
        set_delivery(order, "delivered", by=staff)

    row = rule_rows(rule).get()
    time_passes(row)
    run_due_schedules()
    row.refresh_from_db()
    assert (row.status, row.reason) == (
        "skipped", "the order is no longer “Out for delivery”: it moved on before the delay passed"
    )
    assert sms_outbox == [] and credits() == before


def test_a_delayed_core_status_rule_is_skipped_when_the_order_moved_on(staff, commit):
    rule = NotificationRuleFactory(to_status="shipped", delay_minutes=60)
    order = accepted_order(staff)
    services.start_preparation(order, by=staff)
    ship(order, by=staff)
    services.finalize(order, by=staff)
    row = rule_rows(rule).get()
    time_passes(row)
    assert deliver_notification(row.pk) == "skipped"
    row.refresh_from_db()
    assert row.reason == "the order is no longer “Shipped”: it moved on before the delay passed"


def test_a_delayed_rule_still_fires_when_the_order_came_back_to_its_status(staff, commit):
    rule = NotificationRuleFactory(custom=OUT_FOR_DELIVERY, delay_minutes=30)
    order = OrderFactory()
    set_delivery(order, "out_for_delivery", by=staff)
    set_delivery(order, "delivery_failed", by=staff)
    set_delivery(order, "out_for_delivery", by=staff)
    row = rule_rows(rule).get()
    time_passes(row)
    assert deliver_notification(row.pk) == "sent"


def test_a_delayed_custom_status_rule_is_skipped_when_the_order_was_cancelled(staff):
    rule = NotificationRuleFactory(custom=OUT_FOR_DELIVERY, delay_minutes=30)
    order = OrderFactory()
    set_delivery(order, "out_for_delivery", by=staff)
    services.cancel(order, by=staff, reason="El cliente se arrepintió")  # the custom status stays
    row = rule_rows(rule).get()
    time_passes(row)
    assert deliver_notification(row.pk) == "skipped"
    row.refresh_from_db()
    assert row.reason == "the order was cancelled before the delay passed"


def test_a_rule_turned_off_before_its_delay_passed_sends_nothing(staff, commit):
    rule = NotificationRuleFactory(custom=OUT_FOR_DELIVERY, delay_minutes=30)
    order = OrderFactory()
    set_delivery(order, "out_for_delivery", by=staff)
    rule.active = False
    rule.save()
    row = rule_rows(rule).get()
    time_passes(row)
    assert deliver_notification(row.pk) == "skipped"
    row.refresh_from_db()
    assert row.reason == "the rule was turned off before the message was due"
    assert mail.outbox == []


def test_the_sweep_leaves_a_delayed_row_alone_until_it_is_due(staff, settings):
    from notifications.tasks import sweep_queued_notifications

    settings.NOTIFICATION_REQUEUE_AFTER_SECONDS = 300
    NotificationRuleFactory(custom=OUT_FOR_DELIVERY, delay_minutes=120)
    set_delivery(OrderFactory(), "out_for_delivery", by=staff)
    assert sweep_queued_notifications() == 0


# --- SMS credits -----------------------------------------------------------------------------


def test_a_rule_sms_is_charged_like_a_milestone_sms_and_refunded_when_it_fails(
    staff, commit, credits, sms_outbox, monkeypatch
):
    long_text = "Hola {{ customer_first_name }}, " + "tu pedido {{ order_number }} está en reparto. " * 5
    rule = NotificationRuleFactory(custom=OUT_FOR_DELIVERY, channel="sms", messages={"es": ("", long_text)})
    sent_order, failing_order = OrderFactory(), OrderFactory()
    before = credits()
    with commit():
        set_delivery(sent_order, "out_for_delivery", by=staff)
    sent = rule_rows(rule, sent_order).get()
    assert sent.status == "sent"
    segments = before - credits()
    assert segments == 2  # about 200 GSM-7 characters once the accents are made friendly
    assert sms_outbox[0].body.startswith("Hola Maria, tu pedido")
    charge = LedgerEntry.objects.get(notification_id=sent.pk)
    assert (charge.kind, charge.amount, charge.reason) == ("charge", -2, f"{rule.name} {sent_order.number}")

    def refuse(self, messages):
        raise PermanentError("invalid number")

    monkeypatch.setattr(sms_locmem.SmsBackend, "send_messages", refuse)
    balance = credits()
    with commit():
        set_delivery(failing_order, "out_for_delivery", by=staff)
    failed = rule_rows(rule, failing_order).get()
    assert (failed.status, failed.reason) == ("failed", "invalid number")
    assert credits() == balance  # charged, then refunded once
    assert sorted(LedgerEntry.objects.filter(notification_id=failed.pk).values_list("kind", "amount")) == [
        ("charge", -2), ("refund", 2),
    ]


def test_a_rule_sms_without_credits_is_skipped_and_has_no_fallback(staff, commit, no_credits, sms_outbox):
    switch("shipped", fallback_channel="email")  # milestones' fallbacks do not apply to rules
    rule = NotificationRuleFactory(custom=OUT_FOR_DELIVERY, channel="sms")
    order = OrderFactory()
    with commit():
        set_delivery(order, "out_for_delivery", by=staff)
    assert list(Notification.objects.filter(order=order).values_list("rule", "channel", "status", "reason_code")) == [
        (rule.pk, "sms", "skipped", "no_credits")
    ]
    assert sms_outbox == [] and mail.outbox == []


def test_a_rule_sms_to_a_landline_is_skipped_with_the_reason(staff, commit, credits, sms_outbox):
    rule = NotificationRuleFactory(custom=OUT_FOR_DELIVERY, channel="sms")
    order = OrderFactory(customer_phone="+541155550000")
    with commit():
        set_delivery(order, "out_for_delivery", by=staff)
    assert (rule_rows(rule).get().status, rule_rows(rule).get().reason) == ("skipped", "no valid mobile number")


def test_a_customer_gets_the_store_language_when_the_rule_has_no_message_in_theirs(staff, commit):
    rule = NotificationRuleFactory(
        custom=OUT_FOR_DELIVERY, messages={"es": ("Novedades", "Hola {{ customer_first_name }}")}
    )
    OrderFactory(language="en")
    with commit():
        set_delivery(Order.objects.get(), "out_for_delivery", by=staff)
    assert rule_rows(rule).get().status == "sent"
    assert [m.body for m in mail.outbox] == ["Hola María"]


def test_a_rule_without_any_message_fails_with_the_reason(staff, commit):
    rule = NotificationRuleFactory(custom=OUT_FOR_DELIVERY, messages={})
    with commit():
        set_delivery(OrderFactory(), "out_for_delivery", by=staff)
    row = rule_rows(rule).get()
    assert row.status == "failed" and row.reason.startswith("the message template cannot be used")


# --- the log ---------------------------------------------------------------------------------


def test_the_purge_counts_rule_rows_and_a_rule_with_rows_cannot_be_deleted(staff):
    from django.db.models import ProtectedError

    rule = NotificationRuleFactory(custom=OUT_FOR_DELIVERY)
    order = OrderFactory()
    set_delivery(order, "out_for_delivery", by=staff)
    with pytest.raises(ProtectedError):
        rule.delete()
    old = timezone.now() - timedelta(days=10)
    Notification.objects.filter(rule=rule).update(created_at=old)
    assert purge_log() == 1
    count = DailyNotificationCount.objects.get(milestone="rule")
    assert (count.channel, count.status, count.count) == ("email", "queued", 1)
    rule.delete()  # its log rows are gone: it may go too


def test_rule_messages_leave_the_milestone_templates_alone():
    NotificationRuleFactory()
    assert not MessageTemplate.objects.filter(milestone="rule").exists()
