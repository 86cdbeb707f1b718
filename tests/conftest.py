import importlib
import pkgutil

import pytest
from django.apps import apps as global_apps
from django.db.migrations import RunPython
from django.db.models.signals import post_migrate

from tests.factories import SuperuserFactory

OUR_APPS = {"carriers", "billing", "storefronts", "orders", "inventory", "checkouts", "notifications", "webhooks",
            "paymentlinks", "connectors", "api", "timeline", "analytics"}


def _seed_functions():
    """The forward functions of our data migrations, in migration order (each is idempotent)."""
    functions = []
    for config in global_apps.get_app_configs():
        if config.name not in OUR_APPS:
            continue
        try:
            package = importlib.import_module(f"{config.name}.migrations")
        except ModuleNotFoundError:
            continue
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            module = importlib.import_module(f"{config.name}.migrations.{info.name}")
            for operation in getattr(getattr(module, "Migration", None), "operations", []):
                if isinstance(operation, RunPython):
                    functions.append(operation.code)
    return functions


def _reseed_after_flush(sender, using="default", **kwargs):
    """A transactional test ends with a flush, which empties the tables the data migrations seeded
    (carriers, tiers, groups, custom statuses...). The flush sends post_migrate once per app; after the
    last one, run those seeds again so the next test finds the database as migrate left it."""
    if sender is not _last_app_with_models():
        return
    state_apps = _migrated_state_apps(using)
    for seed in _seed_functions():
        seed(state_apps, None)


_state_apps = {}


def _migrated_state_apps(using):
    """The models as the migrations see them (what their RunPython functions expect), built once."""
    if using not in _state_apps:
        from django.db import connections
        from django.db.migrations.loader import MigrationLoader

        loader = MigrationLoader(connections[using])
        _state_apps[using] = loader.project_state().apps
    return _state_apps[using]


def _last_app_with_models():
    return [config for config in global_apps.get_app_configs() if config.models_module is not None][-1]


post_migrate.connect(_reseed_after_flush, dispatch_uid="tests.reseed_after_flush")


@pytest.fixture
def admin_user(db):
    return SuperuserFactory(username="boss")


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture(autouse=True)
def _in_the_store_language():
    """Each test starts in the store's language: a test client's request leaves the language it asked
    for active (LocaleMiddleware), and what is told in the reader's language (a notification's reason)
    must not depend on the test that ran before."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
