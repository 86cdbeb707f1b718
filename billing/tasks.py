"""django-q2 tasks of the billing app: thin, idempotent, they call services."""
from . import services


def grant_monthly_allowance() -> int:
    """Scheduled on the first day of each month; running it twice in a month grants once."""
    return len(services.grant_monthly_allowance())
