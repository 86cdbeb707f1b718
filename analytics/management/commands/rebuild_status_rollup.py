"""Recompute the status report's daily counts and kept times between two statuses of closed days
(analytics/rollup.py)."""
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from analytics import rollup


class Command(BaseCommand):
    help = ("Recompute the status report's kept daily counts and kept times between two statuses for a range of "
            "closed days (default: all of them).")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", type=date.fromisoformat, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", type=date.fromisoformat, help="last day, YYYY-MM-DD (default: yesterday)")

    def handle(self, *args, start=None, end=None, **options):
        start = start or rollup.first_event_day()
        end = end or rollup.last_closed_day()
        if start is None:
            self.stdout.write("No order events: nothing to roll up.")
            return
        if end < start:
            raise CommandError("--to is before --from.")
        days = rollup.rebuild(start, end)
        self.stdout.write(f"Rolled up {days} day(s) from {start} to {min(end, rollup.last_closed_day())}.")
