"""`seed_reference_data` creates the reference data every app starts with, where it is missing, and never
changes what staff made of it; `setup_project` runs it. The data migrations carry their data themselves."""
import ast
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db import connection

from analytics.models import DurationPair
from billing.models import CreditAccount, ServiceTier
from carriers.models import Carrier
from connectors.models import MethodRule
from config.management.commands.seed_reference_data import seed_modules, seed_reference_data
from notifications.models import MessageTemplate, MilestoneSetting
from orders.models import CustomStatus
from tests.config.test_dependency_direction import ROOT, imported_names, our_apps

pytestmark = pytest.mark.django_db

REFERENCE_MODELS = (Carrier, ServiceTier, CustomStatus, MilestoneSetting, MessageTemplate, Group, DurationPair)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in REFERENCE_MODELS}


def empty_the_reference_data():
    with connection.cursor() as cursor:  # the ledger is append-only: its rows refuse delete()
        cursor.execute("DELETE FROM billing_ledgerentry")
    CreditAccount.objects.all().delete()
    for model in REFERENCE_MODELS:
        model.objects.all().delete()


def run(**options) -> str:
    out = StringIO()
    call_command("seed_reference_data", stdout=out, **options)
    return out.getvalue()


def test_every_app_with_reference_data_has_its_seeds_found_without_being_named():
    labels = [label for label, _module in seed_modules()]
    assert labels == ["carriers", "billing", "orders", "analytics", "inventory", "checkouts", "notifications",
                      "paymentlinks", "connectors"]
    command = ROOT / "config" / "management" / "commands" / "seed_reference_data.py"
    assert {name.split(".")[0] for name in imported_names(command)} & our_apps() == set()


def test_an_empty_database_gets_everything_and_a_second_run_creates_nothing():
    seeded = counts()
    empty_the_reference_data()

    created = seed_reference_data()

    assert counts() == seeded
    assert seeded == {"Carrier": 7, "ServiceTier": 3, "CustomStatus": 8, "MilestoneSetting": 11,
                      "MessageTemplate": 90, "Group": 3, "DurationPair": 1}
    assert created["groups"] == 3 and created["analytics"] == 1 and created["carriers"] == 7 and created["notifications"] == 11 + 90
    assert set(seed_reference_data().values()) == {0}
    assert "0 created" in run()


def test_the_groups_get_the_permissions_every_app_names_for_them():
    empty_the_reference_data()
    seed_reference_data()

    def granted(name):
        return {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=name).permissions.all()}

    assert {"orders.accept_order", "orders.set_custom_status", "inventory.change_stockitem", "checkouts.view_checkout",
            "analytics.view_report", "paymentlinks.make_payment_link", "connectors.change_methodrule"} <= granted(
        "Order managers")
    assert "orders.accept_order" not in granted("Dispatch")
    assert {"orders.ship_order", "inventory.view_stockitem"} <= granted("Dispatch")
    assert granted("Billing") == {"billing.top_up_credits", "billing.change_service_tier", "billing.view_creditaccount",
                                  "billing.view_ledgerentry", "billing.view_servicetier", "billing.view_whatsappprice",
                                  "billing.add_whatsappprice", "billing.change_whatsappprice",
                                  "billing.delete_whatsappprice"}


def test_what_staff_changed_is_kept_and_only_what_is_missing_is_created():
    Carrier.objects.filter(code="andreani").update(tracking_url_template="https://example.com/t/{code}")
    Carrier.objects.filter(code="dhl").delete()
    ServiceTier.objects.filter(name="Pro").update(monthly_allowance=1500)
    CustomStatus.objects.filter(code="in_transit").update(name_es="Viajando", active=False)
    MilestoneSetting.objects.filter(milestone="shipped").update(sms=False)
    template = MessageTemplate.objects.get(milestone="shipped", channel="email", language="es")
    template.body = "Salió tu pedido."
    template.save()
    MessageTemplate.objects.filter(milestone="preparing", channel="sms", language="en").delete()
    managers = Group.objects.get(name="Order managers")
    managers.permissions.remove(Permission.objects.get(codename="cancel_order"))

    created = seed_reference_data()

    assert created["carriers"] == 1 and Carrier.objects.filter(code="dhl").exists()
    assert created["notifications"] == 1
    assert MessageTemplate.objects.filter(milestone="preparing", channel="sms", language="en").exists()
    assert Carrier.objects.get(code="andreani").tracking_url_template == "https://example.com/t/{code}"
    assert ServiceTier.objects.get(name="Pro").monthly_allowance == 1500
    status = CustomStatus.objects.get(code="in_transit")
    assert (status.name_es, status.active) == ("Viajando", False)
    assert MilestoneSetting.objects.get(milestone="shipped").sms is False
    assert MessageTemplate.objects.get(pk=template.pk).body == "Salió tu pedido."
    assert not managers.permissions.filter(codename="cancel_order").exists()
    assert created["groups"] == 0


def test_method_rules_are_created_for_a_platform_and_kind_that_has_none():
    shopify_payment = MethodRule.objects.filter(platform="shopify", kind="payment")
    count = shopify_payment.count()
    shopify_payment.delete()
    MethodRule.objects.filter(platform="shopify", kind="fulfillment", position=20).delete()
    edited = MethodRule.objects.filter(platform="tiendanube", kind="payment").first()
    edited.value = "pix"
    edited.save()

    created = seed_reference_data()

    assert created["connectors"] == count > 0
    assert shopify_payment.count() == count
    assert not MethodRule.objects.filter(platform="shopify", kind="fulfillment", position=20).exists()
    edited.refresh_from_db()
    assert edited.value == "pix"


def test_a_group_naming_a_permission_that_does_not_exist_stops_the_command(monkeypatch):
    Group.objects.filter(name="Dispatch").delete()
    orders_seeds = dict(seed_modules())["orders"]
    monkeypatch.setitem(orders_seeds.GROUP_PERMISSIONS, "Dispatch", ["teleport_order"])

    with pytest.raises(CommandError, match="orders.teleport_order"):
        seed_reference_data()

    assert not Group.objects.filter(name="Dispatch").exists()


def test_setup_project_seeds_the_reference_data(settings):
    settings.DEBUG = True
    empty_the_reference_data()

    out = StringIO()
    call_command("setup_project", stdout=out)

    assert Carrier.objects.count() == 7 and Group.objects.count() == 3
    assert "Reference data: 123 created" in out.getvalue()


def data_migrations() -> list[Path]:
    return [path for path in sorted(ROOT.glob("*/migrations/0*.py")) if "RunPython" in path.read_text()]


def test_the_data_migrations_carry_their_data_and_import_no_code_of_ours():
    """What a data migration writes is written out in it: it reads nothing the application may change later."""
    assert data_migrations()
    apps = our_apps()
    importing = {
        str(path.relative_to(ROOT)): sorted(name for name in imported_names(path) if name.split(".")[0] in apps)
        for path in data_migrations()
    }
    assert {path: names for path, names in importing.items() if names} == {}
    for path in data_migrations():
        tree = ast.parse(path.read_text())
        nested = [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level]
        assert nested == [], path


def test_every_data_operation_is_elidable():
    """seed_reference_data covers what a migration seeds, and a new database has no rows to convert: a
    squash drops them all."""
    from django.db import connection
    from django.db.migrations import RunPython
    from django.db.migrations.loader import MigrationLoader

    ours = our_apps()
    kept = [
        f"{app}.{name}" for (app, name), migration in MigrationLoader(connection).disk_migrations.items()
        if app in ours and any(isinstance(op, RunPython) and not op.elidable for op in migration.operations)
    ]
    assert kept == []
