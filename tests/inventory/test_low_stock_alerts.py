"""A tracked SKU crossing its threshold downward emails the store once per crossing, after the
commit: a row of the notification log, sent by its worker, retried while the email provider is down."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from inventory import tasks
from inventory.models import LowStockAlert, StockItem
from notifications.models import Notification
from notifications.tasks import deliver_notification
from tests.inventory.factories import cancel, place, stock
from tests.utils import closed_port

pytestmark = pytest.mark.django_db


def low_stock_emails():
    return [message for message in mail.outbox if getattr(message, "tags", None) == ["low_stock"]]


def rows():
    return Notification.objects.filter(milestone="low_stock").order_by("id")


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
    # Sent as a row of the notification log, addressed to the staff, about the alert.
    [row] = rows()
    alert = LowStockAlert.objects.get()
    assert (row.order, row.source, row.recipient, row.status, row.attempts, row.subject) == (
        None, f"low-stock-alert:{alert.pk}", settings.STORE_EMAIL, "sent", 1, email.subject,
    )
    deliver_notification(row.pk)  # the task run again sends nothing more
    assert len(low_stock_emails()) == 1


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


def test_an_old_task_run_twice_writes_one_email(django_capture_on_commit_callbacks):
    """A task an earlier release queued writes the email to the log, once however often it runs."""
    stock("REM-001", 4, threshold=3)
    with django_capture_on_commit_callbacks(execute=True):
        place(("REM-001", 1))
    alert_ids = list(LowStockAlert.objects.values_list("pk", flat=True))
    assert tasks.send_low_stock_alerts(alert_ids) == 0  # written with the change already: nothing more
    rows().delete()  # as if the change had been made by the earlier release
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_low_stock_alerts(alert_ids) == 1
        assert tasks.send_low_stock_alerts(alert_ids) == 0
    assert rows().count() == 1
    assert len(low_stock_emails()) == 1


def test_a_mail_outage_keeps_the_order_and_the_email_is_retried(django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    stock("REM-001", 4, threshold=3)

    with django_capture_on_commit_callbacks(execute=True):
        order = place(("REM-001", 1))

    assert order.pk is not None  # the order is kept
    assert StockItem.objects.get(sku="REM-001").quantity == 3
    [row] = rows()
    assert (row.status, row.attempts, row.reason_code) == ("queued", 1, "provider_error")
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"  # the provider is back
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert deliver_notification(row.pk) == "sent"
    [email] = low_stock_emails()
    assert "REM-001" in email.subject


def test_the_email_speaks_the_stores_language(django_capture_on_commit_callbacks, settings):
    settings.LANGUAGE_CODE = "pt-br"
    stock("REM-001", 4, threshold=3, name="Camiseta")

    with django_capture_on_commit_callbacks(execute=True):
        place(("REM-001", 1))

    [email] = low_stock_emails()
    assert email.subject == "[Tienda Demo] Estoque baixo: REM-001"
    assert "REM-001 · Camiseta: restam 3 (alerta em 3)" in email.body


def test_the_log_names_the_email_and_links_the_alert(django_capture_on_commit_callbacks, staff_client):
    stock("REM-001", 4, threshold=3)
    with django_capture_on_commit_callbacks(execute=True):
        place(("REM-001", 1))
    row = rows().get()

    page = staff_client.get(reverse("admin:notifications_notification_change", args=[row.pk]),
                            HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Stock bajo (equipo)" in page
    assert reverse("admin:inventory_lowstockalert_change", args=[LowStockAlert.objects.get().pk]) in page
