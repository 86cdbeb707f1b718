"""The notification log at scale: a date filter instead of a date hierarchy, one capped count, no
query more for 30 rows than for 2, and each row's checkbox and links as Django writes them."""
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from config.admin import CappedCountPaginator
from notifications.models import Channel, Milestone, Notification

from .helpers import place

pytestmark = pytest.mark.django_db

LOG = "/admin/notifications/notification/"


def test_the_log_filters_by_date_without_a_date_hierarchy(staff_client, staff):
    order = place(by=staff)
    old = Notification.objects.filter(order=order).first()
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    today = timezone.localdate()

    # Bounds as the date filter's "Today" writes them: midnight in the store's time zone.
    start = timezone.make_aware(datetime.combine(today, time.min))
    response = staff_client.get(LOG, {"created_at__gte": str(start), "created_at__lt": str(start + timedelta(days=1))})

    listed = {row.pk for row in response.context["cl"].result_list}
    assert listed and old.pk not in listed
    assert response.context["cl"].date_hierarchy is None
    assert "Today" in response.content.decode()  # the date filter's choices


def test_the_log_counts_once_and_stops_at_the_cap(staff_client, staff, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 2)
    place(by=staff)
    place(by=staff)
    staff_client.get(LOG)  # warm the caches

    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(LOG)

    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "LIMIT 3" in counts[0].upper()
    assert f"2+ {Notification._meta.verbose_name_plural}" in response.content.decode()


def count_queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LOG, params or {}).status_code == 200
    return len(queries)


def test_the_log_query_count_does_not_grow_with_its_rows(staff_client, staff):
    place(by=staff)
    staff_client.get(LOG)  # warm the content-type and session caches
    few = count_queries(staff_client)
    for _ in range(14):
        place(by=staff)

    assert Notification.objects.count() >= 30
    assert count_queries(staff_client) == few <= 5
    assert count_queries(staff_client, {"status__exact": "queued"}) == few


def test_each_row_checkbox_is_the_one_django_writes(staff):
    row = Notification.objects.filter(order=place(by=staff)).first()
    model_admin = admin.site._registry[Notification]

    assert model_admin.action_checkbox(row) == admin.ModelAdmin.action_checkbox(model_admin, row)


def test_a_filtered_log_links_each_row_back_to_it_and_to_its_order(staff_client, staff):
    order = place(by=staff)
    row = Notification.objects.filter(order=order).first()

    page = staff_client.get(LOG, {"status__exact": row.status}).content.decode()

    back = urlencode({"_changelist_filters": urlencode({"status__exact": row.status})})
    assert f'href="{reverse("admin:notifications_notification_change", args=[row.pk])}?{back}"' in page
    assert f'<a href="{reverse("admin:orders_order_change", args=[order.pk])}">{order.number}</a>' in page


def test_the_log_speaks_the_readers_language(staff_client, staff):
    place(by=staff)

    english = staff_client.get(LOG, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish = staff_client.get(LOG, HTTP_ACCEPT_LANGUAGE="es").content.decode()

    with translation.override("es"):
        placed, email = str(Milestone.ORDER_PLACED.label), str(Channel.EMAIL.label)
    assert "Order placed" in english and "Order placed" not in spanish
    assert placed in spanish and email in spanish
