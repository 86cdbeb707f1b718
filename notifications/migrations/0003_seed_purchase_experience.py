"""Seed the purchase experience switches and the message templates a fresh store starts with."""
from django.db import migrations


def seed(apps, schema_editor):
    from notifications.defaults import DEFAULT_SWITCHES, all_default_templates

    MilestoneSetting = apps.get_model("notifications", "MilestoneSetting")
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for milestone, switches in DEFAULT_SWITCHES.items():
        MilestoneSetting.objects.get_or_create(milestone=milestone, defaults=switches)
    for milestone, channel, language, fields in all_default_templates():
        MessageTemplate.objects.get_or_create(
            milestone=milestone, channel=channel, language=language, defaults=fields
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_milestone_settings_templates_counts"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
