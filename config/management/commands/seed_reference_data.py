"""Seed the reference data every app starts with; create what is missing, never change what exists.

Each app owns its reference data in its `seeds.py` (found here for every installed app; no app is
named): a `seed()` function that creates its missing rows and returns how many it created, and an
optional `GROUP_PERMISSIONS`, {staff group name: [codenames of the app's own permissions]}. A group
that does not exist yet is created with every permission the apps name for it; a group that exists
(staff may have changed its permissions) is left alone, as is every row staff edited.

Run after `migrate` (the permissions it grants are created by `migrate`); `setup_project` runs it.
"""
from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule


def seed_modules() -> list[tuple[str, object]]:
    """(app label, its `seeds` module) for every installed app that has one, in INSTALLED_APPS order."""
    return [
        (config.label, import_module(f"{config.name}.seeds"))
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, "seeds")
    ]


def _missing_groups(modules) -> dict[str, list[Permission]]:
    wanted: dict[str, list[tuple[str, str]]] = {}
    for label, module in modules:
        for group, codenames in getattr(module, "GROUP_PERMISSIONS", {}).items():
            wanted.setdefault(group, []).extend((label, codename) for codename in codenames)
    existing = set(Group.objects.filter(name__in=wanted).values_list("name", flat=True))
    missing = {}
    for group, names in wanted.items():
        if group in existing:
            continue
        permissions = []
        for label, codename in names:
            try:
                permissions.append(Permission.objects.get(content_type__app_label=label, codename=codename))
            except Permission.DoesNotExist:
                raise CommandError(
                    f"The permission {label}.{codename} for the group {group!r} does not exist: run migrate first."
                ) from None
        missing[group] = permissions
    return missing


@transaction.atomic
def seed_reference_data() -> dict[str, int]:
    """Seed every app's reference data; {app label or "groups": rows created}."""
    modules = seed_modules()
    created = {}
    for label, module in modules:
        if hasattr(module, "seed"):
            created[label] = module.seed()
    groups = _missing_groups(modules)
    for name, permissions in groups.items():
        Group.objects.create(name=name).permissions.add(*permissions)
    created["groups"] = len(groups)
    return created


class Command(BaseCommand):
    help = (
        "Create the reference data the apps start with (carriers, service tiers, staff groups, custom "
        "statuses, message templates...) where it is missing. Idempotent; never changes a row that exists."
    )

    def handle(self, *args, verbosity=1, **options):
        created = seed_reference_data()
        if verbosity >= 1:
            detail = ", ".join(f"{label} {count}" for label, count in created.items() if count)
            self.stdout.write(f"Reference data: {sum(created.values())} created" + (f" ({detail})" if detail else ""))
