"""The analytics app's scheduled task (analytics/schedules.py)."""
from . import rollup


def roll_up_closed_days() -> int:
    return rollup.roll_up_closed_days()
