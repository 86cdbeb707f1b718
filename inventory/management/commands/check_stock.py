from django.core.management.base import BaseCommand, CommandError

from inventory.services import discrepancies


class Command(BaseCommand):
    help = "Check that every SKU's quantity equals the sum of its stock movements."

    def handle(self, *args, **options):
        wrong = list(discrepancies())
        for item in wrong:
            self.stderr.write(f"{item.sku}: quantity {item.quantity}, movements add up to {item.movement_total}")
        if wrong:
            raise CommandError(f"{len(wrong)} SKU(s) whose quantity differs from their movements.")
        self.stdout.write("Every SKU's quantity equals the sum of its movements.")
