import pytest
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate

from config.management.commands.seed_reference_data import seed_reference_data
from tests.factories import SuperuserFactory


def _seed_after_migrate(sender, using="default", **kwargs):
    """The reference data (carriers, tiers, groups, custom statuses, message templates...) is seeded by
    `seed_reference_data`, as `setup_project` does after `migrate`. `migrate` (which makes the test
    database) and the flush that ends a transactional test both send post_migrate once per app; after the
    last one, seed, so every test finds the database as a set-up store has it."""
    if sender is _last_app_with_models():
        seed_reference_data()


def _last_app_with_models():
    return [config for config in global_apps.get_app_configs() if config.models_module is not None][-1]


post_migrate.connect(_seed_after_migrate, dispatch_uid="tests.seed_after_migrate")


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
