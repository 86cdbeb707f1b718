"""Ready for pickup tells the customer by email and web push by default.

A store that never touched the milestone's switches (all off, no fallback, and no change of it in
the purchase experience log) gets the new default; a store that changed them keeps its choice.
"""
from django.db import migrations

MILESTONE = "ready_for_pickup"
# The milestone's name as the purchase experience log wrote it ("Ready for pickup · Email"), in
# each language the store may run in.
LOGGED_NAMES = ("Ready for pickup", "Listo para retirar", "Lista para retirar", "Pronto para retirada")
OLD = {"email": False, "sms": False, "push": False, "fallback_channel": ""}
NEW = {"email": True, "push": True}


def forward(apps, schema_editor):
    MilestoneSetting = apps.get_model("notifications", "MilestoneSetting")
    PurchaseExperienceChange = apps.get_model("notifications", "PurchaseExperienceChange")
    touched = any(
        PurchaseExperienceChange.objects.filter(setting__startswith=f"{name} ·").exists() for name in LOGGED_NAMES
    )
    if not touched:
        MilestoneSetting.objects.filter(milestone=MILESTONE, **OLD).update(**NEW)


def backward(apps, schema_editor):
    MilestoneSetting = apps.get_model("notifications", "MilestoneSetting")
    PurchaseExperienceChange = apps.get_model("notifications", "PurchaseExperienceChange")
    touched = any(
        PurchaseExperienceChange.objects.filter(setting__startswith=f"{name} ·").exists() for name in LOGGED_NAMES
    )
    if not touched:
        MilestoneSetting.objects.filter(milestone=MILESTONE, sms=False, fallback_channel="", **NEW).update(
            email=False, push=False
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0011_log_indexes"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=True),
    ]
