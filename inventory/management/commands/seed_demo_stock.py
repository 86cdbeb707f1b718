from django.core.management.base import BaseCommand

from inventory import services
from inventory.models import StockItem, StockMovement

# The demo store's products (the SKUs the demo orders use): (sku, name, on hand, low-stock threshold).
# Enough for every demo order (none is oversold); the sneakers end at their low-stock level.
PRODUCTS = [
    ("REM-001", "Remera de algodón", 40, 5),
    ("JEAN-32", "Jean recto azul", 12, 3),
    ("ZAP-40", "Zapatillas urbanas", 8, 3),
    ("GOR-01", "Gorra bordada", 6, 2),
]


class Command(BaseCommand):
    help = "Load the demo store's stock counts (once; run before seed_demo so its orders take from them)."

    def handle(self, *args, **options):
        if StockItem.objects.filter(sku__in=[sku for sku, *_ in PRODUCTS]).exists():
            self.stdout.write("Demo stock already loaded.")
            return
        services.set_stock(
            [services.StockRow(sku=sku, name=name, quantity=quantity, low_stock_threshold=threshold, track_stock=True)
             for sku, name, quantity, threshold in PRODUCTS],
            by=None, reason=StockMovement.Reason.MANUAL_SET,
        )
        self.stdout.write(self.style.SUCCESS(f"Loaded the stock of {len(PRODUCTS)} demo products."))
