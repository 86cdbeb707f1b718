"""Deliveries in batches: one task per transaction's milestone rows or per 50 rows of a backlog, each row
sent once; templates and switches kept per process but a save seen at once."""
import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_q.conf import Conf
from django_q.models import OrmQ

from notifications import services as notifications
from notifications.models import MessageTemplate, Notification
from notifications.rendering import forget_cached, render_for_order
from orders import services

from .factories import NotificationRuleFactory
from .helpers import pay, place, ship, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(monkeypatch):
    """Leave the tasks in the ORM broker instead of running them inline."""
    monkeypatch.setattr(Conf, "SYNC", False)


@pytest.fixture
def cache_on(settings):
    settings.NOTIFICATION_CACHE_SECONDS = 60
    forget_cached()
    yield
    forget_cached()


def prepared(staff):
    order = pay(place(by=staff), by=staff)
    subscribe(order)
    services.accept(order, by=staff)
    return services.start_preparation(order, by=staff)


def test_the_rows_of_one_milestone_are_enqueued_as_one_task_after_the_commit(staff, broker, commit):
    order = prepared(staff)
    OrmQ.objects.all().delete()

    with commit():
        ship(order, by=staff)

    rows = Notification.objects.filter(order=order, milestone="shipped", status="queued")
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "push", "sms"]
    assert OrmQ.objects.count() == 1


def test_a_backlog_is_enqueued_fifty_rows_a_task(broker):
    notifications.enqueue_deliveries(range(1, 121))

    assert OrmQ.objects.count() == 3


def test_delivering_a_batch_sends_each_queued_row_once_leaves_the_others_and_keeps_the_provider_ids(staff, credits, sms_outbox):
    order = prepared(staff)
    ship(order, by=staff)
    rows = Notification.objects.filter(order=order, milestone="shipped")
    email, sms = rows.get(channel="email"), rows.get(channel="sms")

    reached = notifications.deliver_many([email.pk, sms.pk, email.pk, 10**9])

    assert reached == {"sent": 2, "None": 2}
    assert notifications.deliver_many([email.pk, sms.pk]) == {"None": 2}
    assert [m.to for m in mail.outbox] == [[order.customer_email]]
    assert len(sms_outbox) == 1
    assert set(rows.filter(pk__in=[email.pk, sms.pk]).values_list("status", "attempts")) == {("sent", 1)}
    # The provider's message ids, written for the whole batch at its end, match what each provider answered.
    assert rows.get(pk=sms.pk).provider_message_id == sms_outbox[0].provider_message_id
    assert rows.get(pk=email.pk).provider_message_id == str(mail.outbox[0].anymail_status.message_id)


def test_a_saved_template_is_used_at_once_although_templates_are_kept_per_process(staff, cache_on):
    order = ship(prepared(staff), by=staff)
    before = render_for_order(order, milestone="shipped", channel="email", language="es").subject

    MessageTemplate.objects.update_or_create(
        milestone="shipped", channel="email", language="es",
        defaults={"subject": "Ya salió {{ order_number }}", "body": "Seguilo con {{ tracking_code }}: {{ tracking_link }}"},
    )

    after = render_for_order(order, milestone="shipped", channel="email", language="es").subject
    assert before != after == f"Ya salió {order.number}"


def test_a_switch_turned_off_is_obeyed_at_once_although_switches_are_kept_per_process(staff, cache_on):
    first = prepared(staff)
    assert Notification.objects.filter(order=first, milestone="preparing", channel="email").exists()

    notifications.update_purchase_experience(by=staff, switches={"preparing": {"email": False}}, fallbacks={})

    second = prepared(staff)
    assert not Notification.objects.filter(order=second, milestone="preparing", channel="email").exists()


def test_a_batch_that_runs_out_of_time_hands_the_unsent_rows_to_a_new_task_unclaimed(staff, credits, broker, settings):
    settings.NOTIFICATION_BATCH_SECONDS = 0  # a provider so slow that the time is up after the first row
    order = prepared(staff)
    ship(order, by=staff)
    rows = Notification.objects.filter(order=order, milestone="shipped").order_by("pk")
    OrmQ.objects.all().delete()

    reached = notifications.deliver_many(list(rows.values_list("pk", flat=True)))

    assert reached == {"sent": 1, "deferred": 2}
    first, *rest = rows
    assert (first.status, first.attempts) == ("sent", 1)
    # The others are free for the new task (no claim held, no attempt spent), not for a second worker later.
    assert {(row.status, row.attempts, row.locked_until) for row in rest} == {("queued", 0, None)}
    assert OrmQ.objects.count() == 1


# --- the outbox write -------------------------------------------------------------------------


def test_a_milestone_writes_all_its_channels_in_one_statement_and_its_task_in_the_same_transaction(
    staff, broker, django_capture_on_commit_callbacks
):
    order = prepared(staff)
    OrmQ.objects.all().delete()

    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as callbacks:
        ship(order, by=staff)

    sql = [q["sql"] for q in queries.captured_queries]
    assert len([s for s in sql if s.startswith('INSERT INTO "notifications_notification"')]) == 1
    # One savepoint: the move's own atomic block inside the test's transaction; none per channel.
    assert len([s for s in sql if s.startswith("SAVEPOINT")]) == 1
    # The ORM broker's task row is written with the rows: no hook left to run after the commit.
    assert OrmQ.objects.count() == 1 and callbacks == []
    assert Notification.objects.filter(order=order, milestone="shipped").count() == 3


def test_with_the_orm_broker_a_rolled_back_change_leaves_neither_rows_nor_task(staff, broker):
    order = prepared(staff)
    OrmQ.objects.all().delete()

    with pytest.raises(RuntimeError), transaction.atomic():
        ship(order, by=staff)
        raise RuntimeError("the request failed after the move")

    assert not Notification.objects.filter(order=order, milestone="shipped").exists()
    assert OrmQ.objects.count() == 0


def test_a_repeated_milestone_writes_and_enqueues_nothing(staff, broker):
    order = ship(prepared(staff), by=staff)
    OrmQ.objects.all().delete()

    assert notifications.record_milestone(order, "shipped") == []
    assert Notification.objects.filter(order=order, milestone="shipped").count() == 3
    assert OrmQ.objects.count() == 0


def test_insert_new_skips_rows_already_written_and_duplicates_within_one_call(staff):
    order = prepared(staff)
    existing = Notification.objects.get(order=order, milestone="preparing", channel="email")

    def row(milestone, channel):
        return Notification(order=order, milestone=milestone, channel=channel, recipient="x", status="skipped")

    inserted = Notification.objects.insert_new([
        row("preparing", "email"), row("finalized", "email"), row("finalized", "email"), row("finalized", "sms"),
    ])

    assert sorted((r.milestone, r.channel) for r in inserted) == [("finalized", "email"), ("finalized", "sms")]
    stored = {r.pk: r for r in Notification.objects.filter(order=order, milestone="finalized")}
    assert set(stored) == {r.pk for r in inserted}
    assert all(r.created_at is not None and not r._state.adding for r in inserted)
    assert Notification.objects.get(pk=existing.pk).recipient == existing.recipient  # left alone
    assert Notification.objects.insert_new([]) == []


def test_a_rule_saved_turned_off_or_given_carriers_applies_at_once_although_rules_are_kept_per_process(
    staff, cache_on
):
    from tests.factories import carrier

    rule = NotificationRuleFactory(to_status="preparing", channel="email")
    assert Notification.objects.filter(order=prepared(staff), rule=rule).exists()

    rule.carriers.set([carrier("andreani")])  # the orders here have no carrier yet
    assert not Notification.objects.filter(order=prepared(staff), rule=rule).exists()

    rule.carriers.clear()
    assert Notification.objects.filter(order=prepared(staff), rule=rule).exists()

    rule.active = False
    rule.save()
    assert not Notification.objects.filter(order=prepared(staff), rule=rule).exists()


def test_a_storefront_orders_move_reads_its_storefront_with_the_locked_order(staff):
    from tests.factories import storefront

    order = services.accept(pay(place(by=staff, storefront=storefront()), by=staff), by=staff)

    with CaptureQueriesContext(connection) as queries:
        services.start_preparation(order, by=staff)

    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sql if s.startswith('SELECT "storefronts_storefront"')]
    lock = next(s for s in sql if s.startswith('SELECT "orders_order"'))
    if connection.features.has_select_for_update_of:
        assert lock.endswith('FOR UPDATE OF "orders_order"')  # the storefront's row is read, not locked
    assert Notification.objects.filter(order=order, milestone="preparing", channel="email").exists()


def test_a_rule_deleted_or_turned_off_elsewhere_never_fires_from_the_rules_kept_per_process(staff, cache_on):
    from notifications.models import NotificationRule, RuleMessage

    # Rules for English orders: the Spanish order below fires neither, so either may still be deleted.
    deleted = NotificationRuleFactory(to_status="preparing", channel="email", languages=["en"])
    turned_off = NotificationRuleFactory(to_status="preparing", channel="sms", languages=["en"])
    prepared(staff)  # both are now kept by this process
    assert {r.pk for r in notifications.active_rules()} >= {deleted.pk, turned_off.pk}

    # Another process changes them: nothing here hears of it (no signal, no shared cache).
    NotificationRule.objects.filter(pk=turned_off.pk).update(active=False)
    RuleMessage.objects.filter(rule=deleted)._raw_delete(RuleMessage.objects.db)
    NotificationRule.objects.filter(pk=deleted.pk)._raw_delete(NotificationRule.objects.db)
    assert {r.pk for r in notifications.active_rules()} >= {deleted.pk, turned_off.pk}  # still kept

    english = services.accept(pay(place(by=staff, language="en"), by=staff), by=staff)
    services.start_preparation(english, by=staff)  # the move commits; neither rule fires

    assert not Notification.objects.filter(order=english, rule__isnull=False).exists()


def test_rules_deleted_in_bulk_are_dropped_from_the_rules_kept_per_process(staff, cache_on):
    from notifications.models import NotificationRule

    rule = NotificationRuleFactory(to_status="preparing", channel="email", languages=["en"])
    prepared(staff)
    assert rule.pk in {r.pk for r in notifications.active_rules()}

    NotificationRule.objects.filter(pk=rule.pk).delete()  # the admin's "delete selected"

    assert rule.pk not in {r.pk for r in notifications.active_rules()}
