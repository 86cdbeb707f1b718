from django.db import migrations

GROUP = "Order managers"


def grant(apps, schema_editor):
    """Order managers see the report. Idempotent; the permission is created here because
    permissions are otherwise created only after every migration has run."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="analytics", model="report")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="view_report", defaults={"name": "Can view the analytics report"},
    )
    for group in Group.objects.filter(name=GROUP):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    permissions = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="analytics", codename="view_report"
    )
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
        ("orders", "0001_squashed_0007_random_payment_proof_names"),
    ]
    operations = [migrations.RunPython(grant, revoke, elidable=True)]
