"""Indexes for the staff's order list at a million orders: one per filter and sortable column,
(column, created_at, id); the search's exact case-insensitive lookups; on PostgreSQL, trigram
indexes for names and phones and a partial index for the oversold filter.

Built with CREATE INDEX CONCURRENTLY on PostgreSQL (writes continue meanwhile), hence not atomic.
"""
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models
from django.db.models import Q
from django.db.models.functions import Upper

from config.indexes import AddIndexConcurrentlyOnPostgres, PostgresIndexConcurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('carriers', '0002_seed_carriers'),
        ('orders', '0001_squashed_0007_random_payment_proof_names'),
        ('storefronts', '0002_storefrontapikey'),
    ]

    operations = [
        TrigramExtension(),
        PostgresIndexConcurrently(
            model_name="order",
            index=GinIndex(OpClass(Upper("customer_name"), name="gin_trgm_ops"), name="order_search_name_trgm_idx"),
        ),
        PostgresIndexConcurrently(
            model_name="order",
            index=GinIndex(OpClass("customer_phone", name="gin_trgm_ops"), name="order_search_phone_trgm_idx"),
        ),
        PostgresIndexConcurrently(
            model_name="order",
            index=models.Index(
                fields=["-created_at", "-id"], condition=~Q(oversold_skus=[]) & ~Q(status="cancelled"),
                name="order_list_oversold_idx",
            ),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='order',
            index=models.Index(fields=['created_at', 'id'], name='order_list_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='order',
            index=models.Index(fields=['status', 'created_at', 'id'], name='order_list_status_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='order',
            index=models.Index(fields=['payment_status', 'created_at', 'id'], name='order_list_payment_status_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='order',
            index=models.Index(fields=['payment_method', 'created_at', 'id'], name='order_list_payment_method_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='order',
            index=models.Index(fields=['fulfillment_method', 'created_at', 'id'], name='order_list_fulfillment_met_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='order',
            index=models.Index(fields=['storefront', 'created_at', 'id'], name='order_list_storefront_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='order',
            index=models.Index(fields=['carrier', 'created_at', 'id'], name='order_list_carrier_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='order',
            index=models.Index(fields=['city', 'created_at', 'id'], name='order_list_city_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='order',
            index=models.Index(fields=['customer_name', 'created_at', 'id'], name='order_list_customer_name_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='order',
            index=models.Index(fields=['total', 'created_at', 'id'], name='order_list_total_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='order',
            index=models.Index(Upper('customer_email'), name='order_search_email_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='order',
            index=models.Index(Upper('tracking_code'), name='order_search_tracking_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='order',
            index=models.Index(Upper('external_id'), name='order_search_external_idx'),
        ),
    ]
