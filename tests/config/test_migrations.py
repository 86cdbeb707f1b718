"""The migrations agree with the models, and a database migrated before the squashes upgrades.

`orders` and `notifications` start with a squashed migration whose `replaces` names the migrations it
stands for (their files are gone). A database migrated before the squash has those names recorded in
`django_migrations`: Django takes the squash as applied and runs only what came after it.
"""
import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

pytestmark = pytest.mark.django_db

# The last migration of each squashed app in the release before the squash: a database there records
# the names the squash replaces.
SQUASHED_UP_TO = {"orders": "0007_random_payment_proof_names", "notifications": "0007_backfill_rule_firings"}


def squashes(loader: MigrationLoader) -> dict[tuple[str, str], list[tuple[str, str]]]:
    return {key: migration.replaces for key, migration in loader.disk_migrations.items() if migration.replaces}


def test_the_models_and_the_migrations_agree():
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)  # SystemExit(1) on a change


def test_the_squashes_replace_every_migration_up_to_the_last_release_and_their_files_are_gone():
    loader = MigrationLoader(connection)
    found = squashes(loader)
    assert {app for app, _name in found} == set(SQUASHED_UP_TO)
    for (app, name), replaces in found.items():
        assert replaces[-1] == (app, SQUASHED_UP_TO[app])
        assert replaces[0] == (app, "0001_initial")
        assert not set(replaces) & set(loader.disk_migrations)  # replaced files deleted
        assert not any(operation.__class__.__name__ == "RunPython" for operation in loader.disk_migrations[app, name]
                       .operations)  # the data operations were elidable: seed_reference_data covers them


def record_as_before_the_squash(recorder: MigrationRecorder, loader: MigrationLoader) -> list[tuple[str, str]]:
    """Make django_migrations read as a database migrated by the release before the squash; return the
    migrations of the squashed apps that came after it (it has not run them)."""
    later = []
    for (app, name), replaces in squashes(loader).items():
        recorder.migration_qs.filter(app=app).delete()
        for replaced_app, replaced_name in replaces:
            recorder.record_applied(replaced_app, replaced_name)
        later += [key for key in loader.graph.forwards_plan(loader.graph.leaf_nodes(app)[0])
                  if key[0] == app and key != (app, name)]
    # Other apps' migrations that depend on those came after the release too: not applied either.
    dependents = {key for later_key in later for key in loader.graph.backwards_plan(later_key)}
    for app, name in dependents - set(later):
        recorder.migration_qs.filter(app=app, name=name).delete()
    return later + sorted(dependents - set(later))


def test_a_database_migrated_before_the_squash_takes_it_as_applied_and_runs_only_what_came_after():
    recorder = MigrationRecorder(connection)
    later = record_as_before_the_squash(recorder, MigrationLoader(connection))

    loader = MigrationLoader(connection)
    loader.check_consistent_history(connection)
    for key in squashes(loader):
        assert key in loader.applied_migrations
    plan = MigrationExecutor(connection).migration_plan(loader.graph.leaf_nodes())
    assert sorted((migration.app_label, migration.name) for migration, _backwards in plan) == sorted(later)


def test_migrate_on_a_database_at_the_leaf_before_the_squash_records_the_squash():
    recorder = MigrationRecorder(connection)
    loader = MigrationLoader(connection)
    applied_later = [(app, name) for app, name in loader.applied_migrations]  # this database has them all
    record_as_before_the_squash(recorder, loader)
    for app, name in applied_later:
        if not recorder.migration_qs.filter(app=app, name=name).exists() and (app, name) not in squashes(loader):
            recorder.record_applied(app, name)  # what came after the squash: this database has it

    call_command("migrate", verbosity=0)

    applied = recorder.applied_migrations()
    for key, replaces in squashes(loader).items():
        assert key in applied and all(replaced in applied for replaced in replaces)
