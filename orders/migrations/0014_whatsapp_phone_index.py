"""The orders whose customer opted in to WhatsApp, by phone: an opt-out reaches the customer's other
open orders (orders/services/consent.py). A partial index, small beside the table.

Built with CREATE INDEX CONCURRENTLY on PostgreSQL (writes continue meanwhile), hence not atomic.
"""
from django.db import migrations, models

from config.indexes import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('orders', '0013_whatsapp_opt_in'),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name='order',
            index=models.Index(condition=models.Q(('whatsapp_opt_in', True)), fields=['customer_phone'], name='order_whatsapp_phone_idx'),
        ),
    ]
