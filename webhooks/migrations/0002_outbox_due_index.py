from django.db import migrations


class Migration(migrations.Migration):
    """The due index is the outbox row's (outbox.models.OutboxRow), named after the model."""

    dependencies = [
        ("webhooks", "0001_initial"),
    ]

    operations = [
        migrations.RenameIndex(model_name="delivery", new_name="delivery_due_idx", old_name="webhook_delivery_due_idx"),
    ]
