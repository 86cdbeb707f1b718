"""Seed the checkout recovery message: its switches (email on) and its templates in three languages."""
from django.db import migrations

MILESTONE = "checkout_recovery"


def seed(apps, schema_editor):
    from notifications.defaults import DEFAULT_SWITCHES, all_default_templates

    MilestoneSetting = apps.get_model("notifications", "MilestoneSetting")
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    MilestoneSetting.objects.get_or_create(milestone=MILESTONE, defaults=DEFAULT_SWITCHES[MILESTONE])
    for milestone, channel, language, fields in all_default_templates():
        if milestone == MILESTONE:
            MessageTemplate.objects.get_or_create(
                milestone=milestone, channel=channel, language=language, defaults=fields
            )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_rules_and_checkout_recovery"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
