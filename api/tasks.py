"""django-q2 tasks of the storefront API (thin: they call a service)."""
from .idempotency import purge_expired


def purge_idempotency_keys() -> int:
    """Forget Idempotency-Keys older than 24 hours; returns how many were removed."""
    return purge_expired()
