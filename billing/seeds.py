"""The service tiers, the default WhatsApp price and the "Billing" staff group a new store starts with (`manage.py seed_reference_data`).

A tier that exists keeps the allowance staff gave it; the group, once it exists, keeps the permissions
staff gave it.
"""
from .models import ServiceTier, WhatsAppPrice

# (name, monthly SMS allowance)
TIERS = [("Start", 100), ("Pro", 1000), ("Business", 10000)]

# Credits a WhatsApp message costs where no country has a price of its own (the default row).
DEFAULT_WHATSAPP_CREDITS = 1

# The Billing group may top up credits and change the tier.
GROUP_PERMISSIONS = {
    "Billing": [
        "top_up_credits", "change_service_tier", "view_creditaccount", "view_ledgerentry", "view_servicetier",
        "view_whatsappprice", "add_whatsappprice", "change_whatsappprice", "delete_whatsappprice",
    ],
}


def seed() -> int:
    existing = set(ServiceTier.objects.values_list("name", flat=True))
    missing = [ServiceTier(name=name, monthly_allowance=allowance) for name, allowance in TIERS if name not in existing]
    ServiceTier.objects.bulk_create(missing, ignore_conflicts=True)
    created = len(missing)
    if not WhatsAppPrice.objects.filter(country="").exists():
        WhatsAppPrice.objects.bulk_create([WhatsAppPrice(country="", credits=DEFAULT_WHATSAPP_CREDITS)],
                                          ignore_conflicts=True)
        created += 1
    return created
