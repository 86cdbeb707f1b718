"""Many clicks on *Email the link to the customer* at once write one email (PostgreSQL, real threads)."""
import threading

import pytest
from django.db import connection

from notifications.models import Notification
from paymentlinks import links
from tests.utils import requires_postgres

from .conftest import place

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

CLICKS = 6


def click_at_once(order, staff) -> list[str]:
    barrier = threading.Barrier(CLICKS)
    outcomes = []

    def click():
        try:
            barrier.wait()
            links.send_again(order, by=staff)
            outcomes.append("queued")
        except links.AlreadyOnItsWay:
            outcomes.append("on its way")
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_clicks_at_the_same_moment_queue_one_email(staff, monkeypatch):
    from django_q.conf import Conf

    order = place(by=staff, language="en")  # committed: its link is made by the (inline) worker
    monkeypatch.setattr(Conf, "SYNC", False)  # the emails wait in the broker, as behind a busy worker

    assert click_at_once(order, staff) == ["on its way"] * (CLICKS - 1) + ["queued"]
    [first] = Notification.objects.filter(order=order, milestone="payment_link")
    assert first.status == "queued"

    # Once it has gone, staff may send it again: clicks at once still write one more.
    Notification.objects.filter(pk=first.pk).update(status="sent")
    assert click_at_once(order, staff) == ["on its way"] * (CLICKS - 1) + ["queued"]
    again = Notification.objects.filter(order=order, milestone="payment_link").exclude(pk=first.pk).get()
    assert (again.status, again.resent_from_id) == ("queued", first.pk)
