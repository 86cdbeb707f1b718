"""The notification log at scale: a date filter instead of a date hierarchy, one capped count."""
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.admin import CappedCountPaginator
from notifications.models import Notification

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
