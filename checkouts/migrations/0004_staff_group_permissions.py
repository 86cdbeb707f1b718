"""Order managers see the abandoned checkouts and their recovery rate."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Order managers": [
        "view_checkout",
    ],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now. Idempotent.
    config = apps.get_app_config("checkouts")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="checkouts", codename__in=codenames)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="checkouts", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("checkouts", "0003_checkout_id_label"),
        ("orders", "0001_squashed_0007_random_payment_proof_names"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke, elidable=True)]
