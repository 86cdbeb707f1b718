"""What the staff groups may do with connected stores, granted after each `migrate` (idempotent).

*Order managers* (created by the orders app) see what came in from the platforms and why, keep the
method rules, try held events again and send tracking again; connecting a store stays with
superusers and whoever they give `connectors.add_platformaccount`. Granted after migrate rather than
in a migration: it needs both the group and this app's permissions, whichever migrated first. On a
new database the group does not exist yet at that point: `seed_reference_data` creates it with these
(seeds.py names them).
"""
from django.db import DEFAULT_DB_ALIAS

GRANTS = {
    "Order managers": [
        "view_platformaccount", "view_orderlink", "view_platformevent", "change_platformevent",
        "view_writeback", "view_writebackattempt", "resend_writeback",
        "view_methodrule", "add_methodrule", "change_methodrule", "delete_methodrule",
    ],
}


def grant(sender=None, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    from django.contrib.auth.models import Group, Permission

    for name, codenames in GRANTS.items():
        for group in Group.objects.using(using).filter(name=name):
            group.permissions.add(*Permission.objects.using(using).filter(
                content_type__app_label="connectors", codename__in=codenames))
