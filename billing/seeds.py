"""The service tiers and the "Billing" staff group a new store starts with (`manage.py seed_reference_data`).

A tier that exists keeps the allowance staff gave it; the group, once it exists, keeps the permissions
staff gave it.
"""
from .models import ServiceTier

# (name, monthly SMS allowance)
TIERS = [("Start", 100), ("Pro", 1000), ("Business", 10000)]

# The Billing group may top up credits and change the tier.
GROUP_PERMISSIONS = {
    "Billing": [
        "top_up_credits", "change_service_tier", "view_creditaccount", "view_ledgerentry", "view_servicetier",
    ],
}


def seed() -> int:
    existing = set(ServiceTier.objects.values_list("name", flat=True))
    missing = [ServiceTier(name=name, monthly_allowance=allowance) for name, allowance in TIERS if name not in existing]
    ServiceTier.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
