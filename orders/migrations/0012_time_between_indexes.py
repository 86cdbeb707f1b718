"""The analytics report's time between two statuses, over long ranges: the status entries sorted by
order (core statuses, then custom ones), so both sides of its join stream in order.

Built with CREATE INDEX CONCURRENTLY on PostgreSQL (writes continue meanwhile), hence not atomic.
"""
from django.conf import settings
from django.db import migrations, models

from config.indexes import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('orders', '0011_refunds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name='orderevent',
            index=models.Index(condition=models.Q(('kind__in', ['placed', 'status_changed'])), fields=['to_status', 'order', 'created_at'], name='orderevent_entered_order_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='orderevent',
            index=models.Index(condition=models.Q(('kind', 'custom_status')), fields=['custom_status', 'order', 'created_at'], name='orderevent_custom_order_idx'),
        ),
    ]
