
import connectors.crypto
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # The first migrations create the orders and storefronts this app points at.
        ('orders', '__first__'),
        ('storefronts', '__first__'),
    ]

    operations = [
        migrations.CreateModel(
            name='MethodRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('platform', models.CharField(choices=[('tiendanube', 'Tiendanube / Nuvemshop'), ('shopify', 'Shopify')], max_length=20, verbose_name='platform')),
                ('kind', models.CharField(choices=[('payment', 'Payment method'), ('fulfillment', 'Delivery method')], max_length=20, verbose_name='maps')),
                ('field', models.CharField(choices=[('financial_status', 'financial_status'), ('gateway', 'gateway'), ('payment_details.method', 'payment_details.method'), ('payment_gateway_names', 'payment_gateway_names'), ('payment_status', 'payment_status'), ('shipping', 'shipping'), ('shipping_address', 'shipping_address'), ('shipping_lines.code', 'shipping_lines.code'), ('shipping_lines.title', 'shipping_lines.title'), ('shipping_option', 'shipping_option'), ('shipping_pickup_type', 'shipping_pickup_type')], max_length=40, verbose_name='when the field')),
                ('match', models.CharField(choices=[('equals', 'is'), ('contains', 'contains')], default='equals', max_length=10, verbose_name='match')),
                ('value', models.CharField(help_text='Case and accents are ignored.', max_length=200, verbose_name='value')),
                ('and_field', models.CharField(blank=True, choices=[('financial_status', 'financial_status'), ('gateway', 'gateway'), ('payment_details.method', 'payment_details.method'), ('payment_gateway_names', 'payment_gateway_names'), ('payment_status', 'payment_status'), ('shipping', 'shipping'), ('shipping_address', 'shipping_address'), ('shipping_lines.code', 'shipping_lines.code'), ('shipping_lines.title', 'shipping_lines.title'), ('shipping_option', 'shipping_option'), ('shipping_pickup_type', 'shipping_pickup_type')], max_length=40, verbose_name='and the field')),
                ('and_match', models.CharField(choices=[('equals', 'is'), ('contains', 'contains')], default='equals', max_length=10, verbose_name='match')),
                ('and_value', models.CharField(blank=True, max_length=200, verbose_name='value')),
                ('result', models.CharField(choices=[('transfer', 'Bank transfer'), ('payment_link', 'Payment link'), ('cash_on_delivery', 'Cash on delivery'), ('online', 'Online payment'), ('carrier', 'Carrier'), ('pickup', 'Pickup'), ('to_be_agreed', 'To be agreed')], max_length=20, verbose_name='our method')),
                ('position', models.PositiveIntegerField(default=100, help_text='Lower is tried first.', verbose_name='position')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
            ],
            options={
                'verbose_name': 'method rule',
                'verbose_name_plural': 'method rules',
                'ordering': ['platform', 'kind', 'position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='PlatformAccount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('platform', models.CharField(choices=[('tiendanube', 'Tiendanube / Nuvemshop'), ('shopify', 'Shopify')], max_length=20, verbose_name='platform')),
                ('store_id', models.CharField(max_length=255, verbose_name='store on the platform')),
                ('access_token', connectors.crypto.EncryptedTextField(blank=True, verbose_name='access token')),
                ('webhook_secret', connectors.crypto.EncryptedTextField(blank=True, verbose_name='webhook signing secret')),
                ('client_id', models.CharField(blank=True, max_length=100, verbose_name='client id')),
                ('token_expires_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='token expires at')),
                ('scope', models.CharField(blank=True, max_length=500, verbose_name='granted scopes')),
                ('webhooks', models.JSONField(blank=True, default=list, verbose_name='registered webhooks')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
                ('problem', models.TextField(blank=True, help_text='Why the connection needs the staff (a refused token, webhooks that could not be registered).', verbose_name='needs attention')),
                ('connected_at', models.DateTimeField(auto_now_add=True, verbose_name='connected at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('storefront', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='platform_account', to='storefronts.storefront', verbose_name='storefront')),
            ],
            options={
                'verbose_name': 'platform connection',
                'verbose_name_plural': 'platform connections',
                'ordering': ['storefront__name'],
            },
        ),
        migrations.CreateModel(
            name='OrderLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('platform_order_id', models.CharField(max_length=100, verbose_name='platform order id')),
                ('platform_number', models.CharField(blank=True, max_length=50, verbose_name='platform order number')),
                ('platform_updated_at', models.DateTimeField(blank=True, null=True, verbose_name='updated on the platform')),
                ('applied', models.JSONField(blank=True, default=dict, editable=False)),
                ('problem', models.TextField(blank=True, verbose_name='why it is not recorded')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='first received')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('order', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='platform_link', to='orders.order', verbose_name='order')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='order_links', to='connectors.platformaccount', verbose_name='connection')),
            ],
            options={
                'verbose_name': 'platform order',
                'verbose_name_plural': 'platform orders',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='PlatformEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt at')),
                ('locked_until', models.DateTimeField(blank=True, editable=False, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('topic', models.CharField(max_length=60, verbose_name='event')),
                ('resource_id', models.CharField(blank=True, max_length=100, verbose_name='platform id')),
                ('event_id', models.CharField(blank=True, max_length=100, verbose_name='platform event id')),
                ('body', models.TextField(blank=True, editable=False, verbose_name='body')),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('done', 'Done'), ('held', 'Needs you'), ('failed', 'Failed')], default='queued', max_length=10, verbose_name='status')),
                ('message', models.TextField(blank=True, verbose_name='outcome')),
                ('processed_at', models.DateTimeField(blank=True, null=True, verbose_name='processed at')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='connectors.platformaccount', verbose_name='connection')),
                ('link', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='events', to='connectors.orderlink', verbose_name='platform order')),
            ],
            options={
                'verbose_name': 'platform event',
                'verbose_name_plural': 'platform events',
                'ordering': ['-created_at', '-id'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='WriteBack',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt at')),
                ('locked_until', models.DateTimeField(blank=True, editable=False, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('platform_order_id', models.CharField(max_length=100, verbose_name='platform order id')),
                ('move', models.CharField(choices=[('shipped', 'Shipped'), ('ready_for_pickup', 'Ready for pickup')], max_length=20, verbose_name='move')),
                ('carrier_name', models.CharField(blank=True, max_length=100, verbose_name='carrier')),
                ('tracking_code', models.CharField(blank=True, max_length=60, verbose_name='tracking code')),
                ('tracking_url', models.URLField(blank=True, max_length=500, verbose_name='tracking URL')),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('delivered', 'Sent'), ('failed', 'Failed')], default='queued', max_length=10, verbose_name='status')),
                ('last_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='last attempt at')),
                ('response_status', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='response code')),
                ('response_body', models.TextField(blank=True, verbose_name='response body')),
                ('error', models.TextField(blank=True, verbose_name='error')),
                ('delivered_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='write_backs', to='connectors.platformaccount', verbose_name='connection')),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='platform_write_backs', to='orders.order', verbose_name='order')),
            ],
            options={
                'verbose_name': 'tracking write-back',
                'verbose_name_plural': 'tracking write-backs',
                'ordering': ['-created_at', '-id'],
                'permissions': [('resend_writeback', 'Can send tracking to the platform again')],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='WriteBackAttempt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='attempt')),
                ('started_at', models.DateTimeField(verbose_name='time')),
                ('response_status', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='response code')),
                ('duration_ms', models.PositiveIntegerField(verbose_name='duration (ms)')),
                ('response_body', models.TextField(blank=True, verbose_name='response body')),
                ('error', models.TextField(blank=True, verbose_name='error')),
                ('write_back', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attempt_log', to='connectors.writeback', verbose_name='tracking write-back')),
            ],
            options={
                'verbose_name': 'write-back attempt',
                'verbose_name_plural': 'write-back attempts',
                'ordering': ['started_at', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='platformaccount',
            constraint=models.UniqueConstraint(fields=('platform', 'store_id'), name='platformaccount_one_per_store'),
        ),
        migrations.AddConstraint(
            model_name='orderlink',
            constraint=models.UniqueConstraint(fields=('account', 'platform_order_id'), name='orderlink_one_per_platform_order'),
        ),
        migrations.AddIndex(
            model_name='platformevent',
            index=models.Index(fields=['status', 'next_attempt_at'], name='platformevent_due_idx'),
        ),
        migrations.AddConstraint(
            model_name='platformevent',
            constraint=models.UniqueConstraint(condition=models.Q(('event_id', ''), _negated=True), fields=('account', 'event_id'), name='platformevent_once_per_event_id'),
        ),
        migrations.AddConstraint(
            model_name='platformevent',
            constraint=models.UniqueConstraint(condition=models.Q(('attempts', 0), ('event_id', ''), ('locked_until__isnull', True), ('status', 'queued')), fields=('account', 'topic', 'resource_id'), name='platformevent_one_waiting_per_resource'),
        ),
        migrations.AddIndex(
            model_name='writeback',
            index=models.Index(fields=['status', 'next_attempt_at'], name='writeback_due_idx'),
        ),
        migrations.AddConstraint(
            model_name='writeback',
            constraint=models.UniqueConstraint(fields=('order', 'move'), name='writeback_once_per_order_move'),
        ),
    ]
