from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.utils import timezone

from checkouts import services
from checkouts.models import Checkout
from storefronts.models import Storefront

# (checkout id, customer, email, language, hours since the last activity)
CHECKOUTS = [
    ("demo-cart-1", "Sofía Gómez", "sofia.gomez@example.com", "es", 0.5),
    ("demo-cart-2", "Ana Souza", "ana.souza@example.com", "pt-br", 30),
    ("demo-cart-3", "Tom Baker", "tom.baker@example.com", "en", 26),
]


class Command(BaseCommand):
    help = "Load a few abandoned checkouts of the demo store (once; run after seed_demo)."

    def handle(self, *args, **options):
        storefront = Storefront.objects.filter(name="Demo store").first()
        if storefront is None:
            self.stdout.write("Run seed_demo first: the demo store does not exist.")
            return
        if Checkout.objects.filter(storefront=storefront).exists():
            self.stdout.write("Demo checkouts already loaded.")
            return
        now = timezone.now()
        for external_id, name, email, language, hours in CHECKOUTS:
            services.report_checkout(
                storefront=storefront, external_id=external_id,
                resume_url=f"https://demo-store.example.com/checkout/{external_id}/",
                currency="ARS", customer_name=name, customer_email=email, language=language,
                lines=[{"sku": "JEAN-32", "name": "Jean recto azul", "quantity": 1, "unit_price": Decimal("32000.00")}],
                started_at=now - timedelta(hours=hours + 0.2), last_activity_at=now - timedelta(hours=hours),
            )
        self.stdout.write(self.style.SUCCESS(
            f"Loaded {len(CHECKOUTS)} demo checkouts; the worker reminds those idle for longer than the delay."
        ))
