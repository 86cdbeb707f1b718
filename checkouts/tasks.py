"""django-q2 tasks of the checkouts app. Thin: they call a service; safe to run twice or at once."""
from . import services


def sweep_checkouts() -> dict[str, int]:
    """Expire old checkouts and remind the abandoned ones (each at most once)."""
    return services.sweep()
