"""The outbox engine's operations, for each kind of row with its own settings: the claim and its
length, the batch claim, the release, the backoff of each kind, and that the engine is a leaf."""
import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as project
from django.utils import timezone
from django_q.models import Schedule

from notifications.models import Notification
from notifications.outbox import NOTIFICATIONS
from tests.factories import OrderFactory, storefront
from webhooks.models import Delivery, Endpoint
from webhooks.outbox import WEBHOOKS

pytestmark = pytest.mark.django_db


def notification(**fields) -> Notification:
    return Notification.objects.create(
        order=OrderFactory(), milestone="preparing", channel="email", recipient="maria@example.com",
        next_attempt_at=timezone.now(), **fields,
    )


def delivery(**fields) -> Delivery:
    hook = Endpoint.objects.filter(url="https://hooks.example.com/o").first() or Endpoint.objects.create(
        storefront=storefront(), url="https://hooks.example.com/o", events=["order.paid"]
    )
    return Delivery.objects.create(
        endpoint=hook, event_type="order.paid", body="{}", next_attempt_at=timezone.now(), **fields
    )


KINDS = [
    pytest.param(NOTIFICATIONS, notification, "NOTIFICATION_CLAIM_SECONDS", id="notifications"),
    pytest.param(WEBHOOKS, delivery, "WEBHOOK_CLAIM_SECONDS", id="webhooks"),
]


@pytest.mark.parametrize("kind, make, claim_setting", KINDS)
def test_a_claim_holds_the_row_for_its_kinds_own_claim_seconds_and_only_once(kind, make, claim_setting, settings):
    setattr(settings, claim_setting, 7)
    row = make()

    before = timezone.now()
    assert kind.claim(row.pk) is True
    assert kind.claim(row.pk) is False  # a second run of the task, or a second worker: nothing

    row.refresh_from_db()
    assert row.attempts == 1
    assert before + timedelta(seconds=7) <= row.locked_until <= timezone.now() + timedelta(seconds=7)


@pytest.mark.parametrize("kind, make, claim_setting", KINDS)
def test_an_expired_claim_lets_another_worker_take_the_row(kind, make, claim_setting):
    row = make()
    assert kind.claim(row.pk)
    type(row).objects.filter(pk=row.pk).update(locked_until=timezone.now() - timedelta(seconds=1))  # the worker died

    assert kind.claim(row.pk) is True
    row.refresh_from_db()
    assert row.attempts == 2


@pytest.mark.parametrize("kind, make, claim_setting", KINDS)
def test_a_batch_claim_takes_only_queued_due_unclaimed_rows_and_a_release_gives_the_attempt_back(
    kind, make, claim_setting
):
    free, claimed, later, done = make(), make(), make(), make()
    kind.claim(claimed.pk)
    type(later).objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))
    type(done).objects.filter(pk=done.pk).update(status="failed")

    assert kind.claim_batch([free.pk, claimed.pk, later.pk, done.pk]) == [free.pk]

    kind.release([free.pk])
    free.refresh_from_db()
    assert (free.attempts, free.locked_until) == (0, None)
    assert kind.claim(free.pk)


def test_notifications_back_off_exponentially_from_their_base_up_to_six_hours(settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 30
    assert [NOTIFICATIONS.retry_delay(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert NOTIFICATIONS.retry_delay(20) == 6 * 60 * 60


def test_webhooks_back_off_on_their_list_of_delays_the_last_repeating(settings):
    settings.WEBHOOK_RETRY_DELAYS = [60, 300, 1800]
    assert [WEBHOOKS.retry_delay(n) for n in (1, 2, 3, 4, 9)] == [60, 300, 1800, 1800, 1800]


@pytest.mark.parametrize("kind, make, claim_setting", KINDS)
def test_a_retry_keeps_the_row_queued_with_its_message_and_a_one_off_schedule_until_the_attempts_run_out(
    kind, make, claim_setting, settings
):
    settings.NOTIFICATION_MAX_ATTEMPTS = settings.WEBHOOK_MAX_ATTEMPTS = 2
    settings.NOTIFICATION_RETRY_BASE_SECONDS, settings.WEBHOOK_RETRY_DELAYS = 30, [30]
    row = make()
    kind.claim(row.pk)
    row.refresh_from_db()

    assert kind.retry_later(row, "503 from the provider") is True
    row.refresh_from_db()
    assert (row.status, getattr(row, kind.message_field), row.locked_until) == ("queued", "503 from the provider", None)
    assert timedelta(seconds=29) < row.next_attempt_at - timezone.now() <= timedelta(seconds=30)
    schedule = Schedule.objects.get(name=f"{kind.label} {row.pk} attempt 2")
    assert (schedule.func, schedule.args, schedule.schedule_type) == (kind.deliver_task, repr(row.pk), Schedule.ONCE)

    type(row).objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    kind.claim(row.pk)
    row.refresh_from_db()
    assert kind.retry_later(row, "503 again") is False  # the caller fails it
    assert Schedule.objects.filter(name__startswith=f"{kind.label} {row.pk} ").count() == 1


def test_the_outbox_app_imports_nothing_of_the_project():
    root = Path(project.BASE_DIR)
    ours = {
        config.name
        for config in apps.get_app_configs()
        # The project's own apps; a virtualenv inside the checkout (.venv) holds only installed packages.
        if Path(config.path).is_relative_to(root) and "site-packages" not in Path(config.path).parts
    } - {"outbox"} | {"config", "tests", "bench"}
    assert {"orders", "notifications", "webhooks"} <= ours
    imported = set()
    for path in root.joinpath("outbox").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])
    assert imported, "no imports read"
    assert imported & ours == set()


# --- enqueueing in the rows' transaction: a setting, checked against the broker --------------------


def test_the_task_is_written_in_the_rows_transaction_only_when_the_setting_says_so(settings, monkeypatch):
    from django.db import transaction
    from django_q.conf import Conf
    from django_q.models import OrmQ

    monkeypatch.setattr(Conf, "SYNC", False)  # leave the task in the broker
    settings.OUTBOX_ENQUEUE_IN_TRANSACTION = True
    with transaction.atomic():
        NOTIFICATIONS.enqueue_after_commit([notification().pk])
        assert OrmQ.objects.count() == 1  # written now, in this transaction

    OrmQ.objects.all().delete()
    settings.OUTBOX_ENQUEUE_IN_TRANSACTION = False
    with transaction.atomic():
        NOTIFICATIONS.enqueue_after_commit([notification().pk])
        assert OrmQ.objects.count() == 0  # waits for the commit


def test_the_setting_follows_the_broker_by_default():
    assert project.Q_CLUSTER.get("orm") == "default"
    assert project.OUTBOX_ENQUEUE_IN_TRANSACTION is True


@pytest.mark.parametrize(("cluster", "enqueue_in_transaction", "warned"), [
    ({"orm": "default"}, True, False),
    ({"redis": "redis://127.0.0.1:6379/0"}, True, True),
    ({"orm": "replica"}, True, True),
    ({"orm": "default", "broker_class": "my.Broker"}, True, True),
    ({"redis": "redis://127.0.0.1:6379/0"}, False, False),
])
def test_a_check_warns_when_the_task_is_enqueued_in_the_transaction_with_another_broker(
    settings, cluster, enqueue_in_transaction, warned
):
    from outbox.checks import check_enqueue_in_transaction

    settings.Q_CLUSTER = cluster
    settings.OUTBOX_ENQUEUE_IN_TRANSACTION = enqueue_in_transaction
    assert [message.id for message in check_enqueue_in_transaction()] == (["outbox.W001"] if warned else [])
