"""Seed the default custom statuses and let the staff groups set custom statuses."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

# (type, code, position, include_in_analytics, name_en, name_es, name_pt_br)
DEFAULTS = [
    ("delivery", "in_transit", 10, True, "In transit", "En camino", "Em trânsito"),
    ("delivery", "at_pickup_point", 20, True, "At the pickup point", "En el punto de retiro", "No ponto de retirada"),
    ("delivery", "out_for_delivery", 30, True, "Out for delivery", "En reparto", "Saiu para entrega"),
    ("delivery", "delivery_failed", 40, True, "Delivery failed", "Entrega fallida", "Entrega não realizada"),
    ("delivery", "delivered", 50, True, "Delivered", "Entregado", "Entregue"),
    ("payment", "invoice_issued", 10, True, "Invoice issued", "Factura emitida", "Nota fiscal emitida"),
    ("payment", "awaiting_payment", 20, True, "Awaiting payment", "Esperando el pago", "Aguardando pagamento"),
    ("general", "agreed_with_customer", 10, False, "Agreed with the customer", "Acordado con el cliente",
     "Combinado com o cliente"),
]

GROUP_PERMISSIONS = {
    "Order managers": ["set_custom_status", "view_customstatus"],
    "Dispatch": ["set_custom_status"],
}


def seed(apps, schema_editor):
    CustomStatus = apps.get_model("orders", "CustomStatus")
    for type_, code, position, analytics, name_en, name_es, name_pt_br in DEFAULTS:
        CustomStatus.objects.get_or_create(
            type=type_, code=code,
            defaults=dict(position=position, include_in_analytics=analytics, name_en=name_en, name_es=name_es,
                          name_pt_br=name_pt_br),
        )
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="orders", codename__in=codenames)
            )


def unseed(apps, schema_editor):
    CustomStatus = apps.get_model("orders", "CustomStatus")
    for type_, code, *_rest in DEFAULTS:
        status = CustomStatus.objects.filter(type=type_, code=code).first()
        if status is not None and not (status.order_statuses.exists() or status.events.exists()):
            status.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_custom_statuses"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(seed, unseed, elidable=True)]
