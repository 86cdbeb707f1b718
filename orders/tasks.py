"""django-q2 tasks of the orders app. Thin: they call a service; safe to run twice or at once."""
from . import services


def sweep_unpaid_orders() -> dict[str, int]:
    """Remind the unpaid transfer and payment link orders once, and cancel those never paid."""
    return services.sweep_unpaid()
