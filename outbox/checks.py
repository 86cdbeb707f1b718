"""System checks of the outbox engine (run by every manage.py command)."""
from django.conf import settings
from django.core.checks import Warning, register
from django.db import DEFAULT_DB_ALIAS

# Q_CLUSTER keys that name a broker other than the ORM; django-q2 picks them before "orm".
OTHER_BROKERS = ("broker_class", "iron_mq", "sqs")


def broker_is_orm_on_default_database(cluster: dict) -> bool:
    """Whether Q_CLUSTER makes django-q2 use the ORM broker on the default database."""
    return cluster.get("orm") == DEFAULT_DB_ALIAS and not any(cluster.get(key) for key in OTHER_BROKERS)


@register()
def check_enqueue_in_transaction(app_configs=None, **kwargs):
    """A task written to the broker inside a transaction is only undone by a rollback when the broker
    is that database (the ORM broker on the default database)."""
    cluster = getattr(settings, "Q_CLUSTER", {})
    if not getattr(settings, "OUTBOX_ENQUEUE_IN_TRANSACTION", False) or broker_is_orm_on_default_database(cluster):
        return []
    return [Warning(
        "OUTBOX_ENQUEUE_IN_TRANSACTION is on but the task broker is not django-q2's ORM broker on the "
        "default database: a delivery task enqueued in a transaction that then rolls back would still run.",
        hint="Unset OUTBOX_ENQUEUE_IN_TRANSACTION (its default follows the broker), or use the ORM broker.",
        id="outbox.W001",
    )]
