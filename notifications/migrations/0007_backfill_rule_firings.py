from django.db import migrations


def backfill(apps, schema_editor):
    """Every rule message already in the log counts as fired (idempotent)."""
    Notification = apps.get_model("notifications", "Notification")
    RuleFiring = apps.get_model("notifications", "RuleFiring")
    RuleFiring.objects.bulk_create(
        [
            RuleFiring(rule_id=rule_id, order_id=order_id, channel=channel)
            for rule_id, order_id, channel in Notification.objects.filter(rule__isnull=False, order__isnull=False)
            .values_list("rule_id", "order_id", "channel")
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0006_rule_firings")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
