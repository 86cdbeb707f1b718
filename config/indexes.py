"""Migration operations for indexes on big tables.

On PostgreSQL an index is built with CREATE INDEX CONCURRENTLY, so a live store keeps writing
while it builds (the migration must be `atomic = False`); elsewhere (SQLite) it is a plain
CREATE INDEX, as it is on PostgreSQL when the migration runs inside a transaction anyway (a test
migrating back and forth). `PostgresIndexConcurrently` adds an index the project's state does not track (one
only PostgreSQL has, such as a trigram GIN index): nothing happens on other databases.
"""
from django.contrib.postgres.operations import AddIndexConcurrently


def concurrently(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql" and not schema_editor.connection.in_atomic_block


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    """AddIndexConcurrently on PostgreSQL, AddIndex elsewhere (same state either way)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if concurrently(schema_editor):
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if concurrently(schema_editor):
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_index(model, self.index)


class PostgresIndexConcurrently(AddIndexConcurrently):
    """A PostgreSQL-only index, built concurrently; outside the models' state, a no-op elsewhere."""

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index, concurrently=concurrently(schema_editor))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_index(model, self.index, concurrently=concurrently(schema_editor))

    def describe(self):
        return f"On PostgreSQL, create index {self.index.name} concurrently on {self.model_name}"
