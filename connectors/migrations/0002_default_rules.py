"""The default method rules: idempotent, staff edit them after.

The rules are written out here rather than read from connectors/defaults.py, so this migration writes
the same rows whatever the code later becomes. `manage.py seed_reference_data` (connectors/seeds.py)
seeds the current defaults; this operation is elidable.
"""
from django.db import migrations

# (platform, kind, position, field, match, value, and_field, and_value, result)
RULES = [
    ("tiendanube", "payment", 10, "gateway", "equals", "offline", "payment_details.method", "bank_transfer",
     "transfer"),
    ("tiendanube", "payment", 20, "gateway", "equals", "offline", "payment_details.method", "wire_transfer",
     "transfer"),
    ("tiendanube", "payment", 30, "gateway", "equals", "offline", "payment_details.method", "cash",
     "cash_on_delivery"),
    ("tiendanube", "payment", 40, "gateway", "equals", "mercadopago", "", "", "online"),
    ("tiendanube", "fulfillment", 10, "shipping_pickup_type", "equals", "pickup", "", "", "pickup"),
    ("tiendanube", "fulfillment", 20, "shipping_pickup_type", "equals", "ship", "", "", "carrier"),
    ("shopify", "payment", 10, "payment_gateway_names", "equals", "Cash on Delivery (COD)", "", "",
     "cash_on_delivery"),
    ("shopify", "payment", 20, "payment_gateway_names", "equals", "manual", "", "", "transfer"),
    ("shopify", "payment", 30, "payment_gateway_names", "contains", "transfer", "", "", "transfer"),
    ("shopify", "payment", 40, "payment_gateway_names", "contains", "transferencia", "", "", "transfer"),
    ("shopify", "payment", 50, "payment_gateway_names", "contains", "deposit", "", "", "transfer"),
    # Anything else the customer paid at checkout (a card, Shop Pay, PayPal...), refunded since or not.
    ("shopify", "payment", 60, "financial_status", "equals", "paid", "", "", "online"),
    ("shopify", "payment", 70, "financial_status", "equals", "authorized", "", "", "online"),
    ("shopify", "payment", 80, "financial_status", "equals", "partially_paid", "", "", "online"),
    ("shopify", "payment", 90, "financial_status", "contains", "refunded", "", "", "online"),
    ("shopify", "payment", 100, "financial_status", "equals", "voided", "", "", "online"),
    ("shopify", "fulfillment", 10, "shipping_address", "equals", "present", "", "", "carrier"),
    ("shopify", "fulfillment", 20, "shipping_address", "equals", "absent", "", "", "pickup"),
]


def seed_rules(apps, schema_editor):
    MethodRule = apps.get_model("connectors", "MethodRule")
    if MethodRule.objects.exists():
        return
    MethodRule.objects.bulk_create([
        MethodRule(platform=platform, kind=kind, position=position, field=field, match=match, value=value,
                   and_field=and_field, and_value=and_value, result=result)
        for platform, kind, position, field, match, value, and_field, and_value, result in RULES
    ])


class Migration(migrations.Migration):
    dependencies = [("connectors", "0001_initial")]

    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop, elidable=True)]
