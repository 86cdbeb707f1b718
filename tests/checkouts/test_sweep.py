import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import close_old_connections, connection
from django.utils import timezone

from checkouts import services, signals
from checkouts.models import Checkout
from checkouts.schedules import SWEEP_NAME, register_schedules
from tests.api.conftest import order_body
from tests.factories import OrderFactory
from tests.utils import requires_postgres

from .conftest import after_delay, checkout_body, make_client, report


def test_the_sweep_reminds_an_abandoned_checkout_once_even_when_run_twice(api, abandoned_signals):
    report(api)
    checkout = Checkout.objects.get()

    first = services.sweep(now=after_delay())
    second = services.sweep(now=after_delay(minutes=30))

    assert abandoned_signals == [checkout.pk]
    assert (first["reminded"], second["reminded"]) == (1, 0)
    checkout.refresh_from_db()
    assert checkout.status == Checkout.Status.REMINDED
    assert checkout.reminded_at is not None


def test_nothing_is_sent_before_the_delay(api, abandoned_signals, settings):
    settings.CHECKOUT_RECOVERY_DELAY_MINUTES = 120
    report(api)

    services.sweep(now=timezone.now() + timedelta(minutes=119))

    assert abandoned_signals == []
    assert Checkout.objects.get().status == Checkout.Status.OPEN


def test_the_delay_counts_from_the_customers_last_activity(api, abandoned_signals):
    report(api, started_at=(timezone.now() - timedelta(days=1)).isoformat())

    services.sweep(now=timezone.now() + timedelta(minutes=5))

    assert abandoned_signals == []


def test_a_checkout_reported_as_idle_for_longer_than_the_delay_is_reminded_at_the_next_sweep(api, abandoned_signals):
    report(api, last_activity_at=(timezone.now() - timedelta(hours=3)).isoformat())

    services.sweep()

    assert len(abandoned_signals) == 1


def test_the_signal_carries_the_checkout_already_marked_reminded(api):
    report(api)
    seen = []

    def receiver(sender, checkout, **kwargs):
        seen.append((sender, checkout.external_id, checkout.status, Checkout.objects.get(pk=checkout.pk).status))

    signals.checkout_abandoned.connect(receiver, dispatch_uid="tests.checkouts.seen")
    try:
        services.sweep(now=after_delay())
    finally:
        signals.checkout_abandoned.disconnect(dispatch_uid="tests.checkouts.seen")

    assert seen == [(Checkout, "CHK-1001", "reminded", "reminded")]


def test_a_recovered_checkout_is_never_reminded(api, abandoned_signals):
    report(api)
    assert api.post("/api/v1/orders/", order_body(checkout_id="CHK-1001"), format="json").status_code == 201

    services.sweep(now=after_delay())

    assert abandoned_signals == []
    assert Checkout.objects.get().status == Checkout.Status.RECOVERED


def test_a_checkout_whose_order_raced_its_report_is_marked_recovered_instead_of_reminded(api, abandoned_signals):
    report(api)
    order = OrderFactory(storefront=api.storefront, external_checkout_id="CHK-1001")  # not seen by the receiver

    counts = services.sweep(now=after_delay())

    assert abandoned_signals == []
    assert counts["recovered"] == 1
    checkout = Checkout.objects.get()
    assert (checkout.status, checkout.order_id, checkout.reminded_at) == ("recovered", order.pk, None)


def test_checkouts_without_any_contact_are_still_marked_and_signalled(api, abandoned_signals):
    body = checkout_body()
    del body["customer"]
    api.post("/api/v1/checkouts/", body, format="json")

    services.sweep(now=after_delay())

    assert len(abandoned_signals) == 1
    assert Checkout.objects.get().status == Checkout.Status.REMINDED


def test_a_failing_receiver_leaves_the_checkout_open_for_the_next_sweep(api, abandoned_signals):
    report(api)

    def broken(sender, checkout, **kwargs):
        raise RuntimeError("outbox unavailable")

    signals.checkout_abandoned.connect(broken, dispatch_uid="tests.checkouts.broken")
    try:
        counts = services.sweep(now=after_delay())
    finally:
        signals.checkout_abandoned.disconnect(dispatch_uid="tests.checkouts.broken")

    assert counts["failed"] == 1
    assert Checkout.objects.get().status == Checkout.Status.OPEN

    services.sweep(now=after_delay())

    assert Checkout.objects.get().status == Checkout.Status.REMINDED


def test_checkouts_not_recovered_expire_after_the_expiry_age(api, abandoned_signals, settings):
    settings.CHECKOUT_EXPIRY_DAYS = 30
    report(api, checkout_id="OPEN-OLD")
    report(api, checkout_id="REMINDED-OLD")
    report(api, checkout_id="RECOVERED-OLD")
    report(api, checkout_id="YOUNG")
    Checkout.objects.filter(external_id="REMINDED-OLD").update(status="reminded")
    Checkout.objects.filter(external_id="RECOVERED-OLD").update(status="recovered")
    Checkout.objects.exclude(external_id="YOUNG").update(created_at=timezone.now() - timedelta(days=31))
    Checkout.objects.filter(external_id="YOUNG").update(created_at=timezone.now() - timedelta(days=29))

    counts = services.sweep(now=timezone.now() + timedelta(minutes=1))

    statuses = dict(Checkout.objects.values_list("external_id", "status"))
    assert statuses == {
        "OPEN-OLD": "expired", "REMINDED-OLD": "expired", "RECOVERED-OLD": "recovered", "YOUNG": "open",
    }
    assert counts["expired"] == 2
    assert abandoned_signals == []  # an expired checkout gets no reminder


def test_the_sweep_task_runs_the_sweep(api, abandoned_signals):
    from checkouts.tasks import sweep_checkouts

    report(api, last_activity_at=(timezone.now() - timedelta(hours=3)).isoformat())

    assert sweep_checkouts()["reminded"] == 1
    assert sweep_checkouts()["reminded"] == 0
    assert len(abandoned_signals) == 1


def test_the_schedule_is_registered_once_every_few_minutes(db):
    from django_q.models import Schedule

    register_schedules()
    register_schedules()

    schedule = Schedule.objects.get(name=SWEEP_NAME)
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (
        "checkouts.tasks.sweep_checkouts", Schedule.MINUTES, 5,
    )


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_sweeps_racing_on_postgresql_send_one_signal_per_checkout(abandoned_signals):
    client = make_client("Tienda Carrera")
    for number in range(20):
        assert report(client, checkout_id=f"RACE-{number}").status_code == 201
    expected = set(Checkout.objects.values_list("pk", flat=True))
    now = after_delay()
    barrier = threading.Barrier(6)
    errors = []

    def run():
        try:
            barrier.wait()
            services.sweep(now=now)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(abandoned_signals) == sorted(expected)  # each checkout once, none twice
    assert set(Checkout.objects.values_list("status", flat=True)) == {"reminded"}
    # The outbox and the worker (inline in tests) then send one recovery email per checkout.
    recovery_emails = [m for m in mail.outbox if "tienda.example.com/checkout/1001/resume" in m.body]
    assert len(recovery_emails) == len(expected)
