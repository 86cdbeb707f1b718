"""The default method rules (connectors/mapping.py, DEFAULT_RULES): idempotent, staff edit them after."""
from django.db import migrations

from connectors.defaults import DEFAULT_RULES


def seed_rules(apps, schema_editor):
    MethodRule = apps.get_model("connectors", "MethodRule")
    if MethodRule.objects.exists():
        return
    MethodRule.objects.bulk_create([
        MethodRule(platform=platform, kind=kind, position=position, field=field, match=match, value=value,
                   and_field=and_field, and_value=and_value, result=result)
        for platform, kind, position, field, match, value, and_field, and_value, result in DEFAULT_RULES
    ])


class Migration(migrations.Migration):
    dependencies = [("connectors", "0001_initial")]

    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
