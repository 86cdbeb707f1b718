"""A kind of message an app registers: `source` (what it is about when it is no order or checkout),
once per source and channel, and a reason for a payment link that can no longer be paid."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0020_whatsapp_channel'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='notification',
            name='notification_order_or_checkout',
        ),
        migrations.AddField(
            model_name='notification',
            name='source',
            field=models.CharField(blank=True, db_default='', default='', max_length=100, verbose_name='about'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='reason_code',
            field=models.CharField(blank=True, choices=[('not_notified', "not notified at staff's request"), ('sent_by_platform', 'sent by the store platform'), ('no_email', 'no email address'), ('no_phone', 'no valid mobile number'), ('no_push_subscription', 'no push subscription'), ('no_whatsapp_opt_in', 'the customer did not opt in to WhatsApp'), ('no_whatsapp_template', 'no WhatsApp template for this message'), ('no_credits', 'no SMS credits'), ('sms_too_long', 'the SMS is too long'), ('no_template', 'the message template cannot be used'), ('provider_error', 'the provider refused or failed'), ('unexpected_error', 'unexpected error while sending'), ('gave_up', 'gave up after the last attempt'), ('bounced', 'the email bounced'), ('rejected', 'the email provider rejected it'), ('undelivered', 'the provider reported it undelivered'), ('provider_failed', 'the provider reported that it could not send it'), ('checkout_recovered', 'the checkout was recovered'), ('rule_turned_off', 'the rule was turned off before the message was due'), ('no_longer_due', 'the order moved on before the delay passed'), ('cancelled_meanwhile', 'the order was cancelled before the delay passed'), ('paid_meanwhile', 'the order was paid (or moved on) before the reminder went out'), ('nothing_to_pay', 'no payment link could be paid any more when the email was due'), ('other', 'other')], max_length=30, verbose_name='reason'),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.UniqueConstraint(condition=models.Q(models.Q(('source', ''), _negated=True), ('resent_from__isnull', True)), fields=('source', 'milestone', 'channel'), name='notification_once_per_source_and_channel'),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('checkout__isnull', True), ('order__isnull', False)), models.Q(('checkout__isnull', False), ('order__isnull', True)), models.Q(('checkout__isnull', True), ('order__isnull', True), models.Q(('source', ''), _negated=True)), _connector='OR'), name='notification_order_or_checkout'),
        ),
    ]
