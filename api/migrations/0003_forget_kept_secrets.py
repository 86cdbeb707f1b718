from django.db import migrations


def forget_kept_secrets(apps, schema_editor):
    """Kept responses of webhook endpoint creations lose their signing secret: a replay answers null.
    Idempotent."""
    IdempotencyKey = apps.get_model("api", "IdempotencyKey")
    kept = IdempotencyKey.objects.filter(response_body__has_key="secret").filter(response_body__has_key="secret_hint")
    for record in kept.iterator():
        if record.response_body.get("secret") is not None:
            record.response_body = {**record.response_body, "secret": None}
            record.save(update_fields=["response_body"])


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_idempotencykey_claim"),
    ]

    operations = [
        migrations.RunPython(forget_kept_secrets, migrations.RunPython.noop, elidable=True),
    ]
