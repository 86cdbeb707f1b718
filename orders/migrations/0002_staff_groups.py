from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "Order managers": [
        "accept_order", "prepare_order", "ship_order", "ready_for_pickup_order", "finalize_order",
        "cancel_order", "register_payment", "view_order", "change_order",
    ],
    "Dispatch": ["prepare_order", "ship_order", "ready_for_pickup_order", "finalize_order", "view_order"],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="orders", codename__in=codenames)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups, elidable=True)]
