"""The staff groups and the custom statuses a new store starts with (`manage.py seed_reference_data`).

A custom status that exists keeps its names, position and switches as staff left them; a group that
exists keeps the permissions staff gave it. The other apps add their own permissions to these groups
in their `seeds.py`.
"""
from .models import CustomStatus

GROUP_PERMISSIONS = {
    "Order managers": [
        "accept_order", "prepare_order", "ship_order", "ready_for_pickup_order", "finalize_order",
        "cancel_order", "register_payment", "register_refund", "view_order", "change_order", "set_custom_status",
        "view_customstatus",
    ],
    "Dispatch": [
        "prepare_order", "ship_order", "ready_for_pickup_order", "finalize_order", "view_order", "set_custom_status",
    ],
}

# (type, code, position, include_in_analytics, name_en, name_es, name_pt_br)
CUSTOM_STATUSES = [
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


def seed() -> int:
    existing = set(CustomStatus.objects.values_list("type", "code"))
    missing = [
        CustomStatus(type=type_, code=code, position=position, include_in_analytics=analytics,
                     name_en=name_en, name_es=name_es, name_pt_br=name_pt_br)
        for type_, code, position, analytics, name_en, name_es, name_pt_br in CUSTOM_STATUSES
        if (type_, code) not in existing
    ]
    CustomStatus.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
