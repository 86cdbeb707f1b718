"""The method rules a new installation starts with (`manage.py seed_reference_data`), from defaults.py.

A platform's payment or fulfillment rules are created only when it has none of that kind: once staff
have rules there (edited, reordered, turned off or deleted), they are theirs. Rules for a platform or
kind a release adds are created on the next run.
"""
from .defaults import DEFAULT_RULES
from .models import MethodRule
from .permissions import GRANTS

# A group seed_reference_data creates gets these with the rest; a group that exists gets them from the
# grant after each migrate (permissions.py).
GROUP_PERMISSIONS = GRANTS


def seed() -> int:
    present = set(MethodRule.objects.values_list("platform", "kind").distinct())
    missing = [
        MethodRule(platform=platform, kind=kind, position=position, field=field, match=match, value=value,
                   and_field=and_field, and_value=and_value, result=result)
        for platform, kind, position, field, match, value, and_field, and_value, result in DEFAULT_RULES
        if (platform, kind) not in present
    ]
    MethodRule.objects.bulk_create(missing)
    return len(missing)
