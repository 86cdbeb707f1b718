import threading

import pytest
from django.db import connections

from billing.models import LedgerEntry
from billing.services import InsufficientCredits, charge_sms
from tests.utils import requires_postgres

from .conftest import account, assert_balances_equal_ledger, start_credits

THREADS = 50


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_charges_against_ten_credits_succeed_exactly_ten_times():
    start_credits(monthly=6, purchased=4)
    barrier = threading.Barrier(THREADS)
    outcomes = []
    lock = threading.Lock()

    def send(notification_id):
        try:
            barrier.wait(timeout=30)
            try:
                charge_sms(segments=1, notification_id=notification_id)
                outcome = "charged"
            except InsufficientCredits:
                outcome = "no credits"
        except Exception as error:  # recorded so the assertion below shows it
            outcome = repr(error)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(1, THREADS + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(set(outcomes)) == ["charged", "no credits"], outcomes
    assert outcomes.count("charged") == 10
    assert outcomes.count("no credits") == 40
    assert LedgerEntry.objects.filter(kind="charge").values("notification_id").distinct().count() == 10
    assert LedgerEntry.objects.filter(kind="charge").count() == 10  # one bucket each: 6 monthly, 4 purchased
    assert (account().monthly_remaining, account().purchased) == (0, 0)
    assert_balances_equal_ledger()


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_charges_of_one_notification_charge_it_once():
    start_credits(monthly=10)
    barrier = threading.Barrier(8)
    entries = []

    def send():
        try:
            barrier.wait(timeout=30)
            entries.append(charge_sms(segments=2, notification_id=123).pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(entries) == 8 and len(set(entries)) == 1
    assert account().monthly_remaining == 8
