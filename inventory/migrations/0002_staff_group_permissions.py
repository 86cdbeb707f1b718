"""Stock for the staff groups: order managers keep the counts (and import them); dispatch reads them."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Order managers": [
        "view_stockitem", "add_stockitem", "change_stockitem", "view_stockmovement", "view_lowstockalert",
    ],
    "Dispatch": ["view_stockitem", "view_stockmovement"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now. Idempotent.
    config = apps.get_app_config("inventory")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="inventory", codename__in=codenames)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="inventory", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0001_initial"),
        ("orders", "0001_squashed_0007_random_payment_proof_names"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke, elidable=True)]
