"""Seed the three service tiers and the "Billing" group, which may top up credits and change tier."""
from django.db import migrations

TIERS = [("Start", 100), ("Pro", 1000), ("Business", 10000)]

# (model, codename, name) granted to the Billing group.
BILLING_PERMISSIONS = [
    ("creditaccount", "top_up_credits", "Can top up SMS credits"),
    ("creditaccount", "change_service_tier", "Can change the service tier"),
    ("creditaccount", "view_creditaccount", "Can view SMS credit account"),
    ("ledgerentry", "view_ledgerentry", "Can view ledger entry"),
    ("servicetier", "view_servicetier", "Can view service tier"),
]


def seed(apps, schema_editor):
    ServiceTier = apps.get_model("billing", "ServiceTier")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    for name, allowance in TIERS:
        ServiceTier.objects.get_or_create(name=name, defaults={"monthly_allowance": allowance})

    # Permissions are normally created after migrate; create the ones the group needs now.
    group, _created = Group.objects.get_or_create(name="Billing")
    for model, codename, name in BILLING_PERMISSIONS:
        content_type, _created = ContentType.objects.get_or_create(app_label="billing", model=model)
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)


def unseed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Billing").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, unseed, elidable=True)]
