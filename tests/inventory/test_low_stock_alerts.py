"""A tracked SKU crossing its threshold downward emails the store once per crossing, after the commit."""
import logging

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction

from inventory import services
from inventory.models import LowStockAlert, StockItem
from tests.inventory.factories import cancel, place, stock

pytestmark = pytest.mark.django_db


def low_stock_emails():
    return [message for message in mail.outbox if "Low stock" in message.subject]


def test_crossing_the_threshold_emails_the_store_once_after_the_commit(django_capture_on_commit_callbacks):
    stock("REM-001", 5, threshold=3, name="Remera de algodón")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        place(("REM-001", 1))  # 4: still above
        place(("REM-001", 1))  # 3: crossed
    assert low_stock_emails() == []  # nothing before the commit
    for callback in callbacks:
        callback()

    [email] = low_stock_emails()
    assert email.to == [settings.STORE_EMAIL]
    assert email.subject == "[Tienda Demo] Low stock: REM-001"
    assert "REM-001 · Remera de algodón: 3 left (alert at 3)" in email.body
    assert "https://shop.example.com/admin/inventory/stockitem/?stock=low" in email.body
    assert LowStockAlert.objects.get().emailed_at is not None


def test_no_second_email_while_the_sku_stays_low(django_capture_on_commit_callbacks):
    stock("REM-001", 4, threshold=3)

    with django_capture_on_commit_callbacks(execute=True):
        place(("REM-001", 1))  # 3: crossed
        place(("REM-001", 2))  # 1: still low
        place(("REM-001", 5))  # -4: oversold, still the same crossing

    assert len(low_stock_emails()) == 1
    assert LowStockAlert.objects.count() == 1


def test_each_new_crossing_emails_again(django_capture_on_commit_callbacks):
    stock("REM-001", 4, threshold=3)

    with django_capture_on_commit_callbacks(execute=True):
        order = place(("REM-001", 2))  # 2: crossed
        cancel(order)  # 4: above again
        place(("REM-001", 1))  # 3: crossed again
        stock("REM-001", 10)  # restocked
        stock("REM-001", 0)  # a recount finds none: crossed again

    assert [alert.quantity for alert in LowStockAlert.objects.order_by("id")] == [2, 3, 0]
    assert len(low_stock_emails()) == 3


def test_an_order_crossing_several_skus_sends_one_email_naming_each(django_capture_on_commit_callbacks):
    stock("REM-001", 3, threshold=2)
    stock("GOR-002", 1, threshold=0)
    stock("MED-003", 50, threshold=2)

    with django_capture_on_commit_callbacks(execute=True):
        place(("REM-001", 1), ("GOR-002", 2), ("MED-003", 1))

    [email] = low_stock_emails()
    assert email.subject == "[Tienda Demo] Low stock: GOR-002, REM-001"
    assert "GOR-002 · Product GOR-002: 1 units sold without stock (alert at 0)" in email.body
    assert "REM-001 · Product REM-001: 2 left (alert at 2)" in email.body
    assert "MED-003" not in email.body


def test_no_email_when_the_change_is_rolled_back(django_capture_on_commit_callbacks):
    stock("REM-001", 4, threshold=3)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        place(("REM-001", 2))
        raise RuntimeError("rolled back")

    assert low_stock_emails() == []
    assert not LowStockAlert.objects.exists()


def test_untracked_skus_and_items_created_low_send_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stock("UNTRACKED", 5, threshold=3, track_stock=False)
        place(("UNTRACKED", 4))
        stock("NEW-LOW", 1, threshold=3)  # created already low: not a crossing

    assert low_stock_emails() == []


def test_the_email_task_run_twice_emails_once(django_capture_on_commit_callbacks):
    stock("REM-001", 4, threshold=3)
    with django_capture_on_commit_callbacks(execute=False):
        place(("REM-001", 1))
    alert_ids = list(LowStockAlert.objects.values_list("pk", flat=True))

    assert services.send_low_stock_alerts(alert_ids) == 1
    assert services.send_low_stock_alerts(alert_ids) == 0
    assert len(low_stock_emails()) == 1


def test_a_mail_outage_is_logged_and_the_alert_stays_unsent(django_capture_on_commit_callbacks, monkeypatch, caplog):
    stock("REM-001", 4, threshold=3)

    def broken_send_mail(*args, **kwargs):
        raise ConnectionError("SMTP server unreachable")

    monkeypatch.setattr(services, "send_mail", broken_send_mail)
    with caplog.at_level(logging.ERROR, logger="inventory.services"), django_capture_on_commit_callbacks(execute=True):
        order = place(("REM-001", 1))

    assert order.pk is not None  # the order is kept
    assert StockItem.objects.get(sku="REM-001").quantity == 3
    assert LowStockAlert.objects.get().emailed_at is None
    assert "Could not send the low-stock email" in caplog.text


def test_the_email_speaks_the_stores_language(django_capture_on_commit_callbacks, settings):
    settings.LANGUAGE_CODE = "pt-br"
    stock("REM-001", 4, threshold=3, name="Camiseta")

    with django_capture_on_commit_callbacks(execute=True):
        place(("REM-001", 1))

    [email] = [message for message in mail.outbox if "Estoque baixo" in message.subject]
    assert email.subject == "[Tienda Demo] Estoque baixo: REM-001"
    assert "REM-001 · Camiseta: restam 3 (alerta em 3)" in email.body
