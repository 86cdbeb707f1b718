"""The analytics app's tasks: the daily schedule (analytics/schedules.py), and keeping the times of
a pair of statuses the report was asked about for the first time (analytics/durations.py)."""
from . import rollup


def roll_up_closed_days() -> int:
    return rollup.roll_up_closed_days()


def roll_up_pair(key: str) -> int:
    return rollup.roll_up_pair(key)
