import logging
from contextlib import contextmanager
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django_q.conf import Conf

from carriers.models import Carrier
from orders import services
from orders.models import Order
from storefronts.models import Storefront
from storefronts.services import create_storefront

# (name, email, mobile, language, city, street address in that city)
CUSTOMERS = [
    ("María Pérez", "maria.perez@example.com", "+5491155551234", "es", "Buenos Aires", "Av. Corrientes 1234, 5° B"),
    ("João Silva", "joao.silva@example.com", "+5511987654321", "pt-br", "São Paulo", "Av. Paulista 1578, apto. 42"),
    ("Emily Clark", "emily.clark@example.com", "+5493515550101", "en", "Córdoba", "Bv. San Juan 850"),
    ("Lucía Fernández", "lucia.f@example.com", "+5493415552233", "es", "Rosario", "Bv. Oroño 1250, 3° A"),
]
PICKUP_POINT = "Local Palermo: Honduras 4800, CABA. Lunes a viernes de 10 a 19 h, sábados de 10 a 14 h"

# (payment method, fulfillment method, moves to make, paid before the first move)
SCENARIOS = [
    ("transfer", "carrier", [], False),
    ("transfer", "carrier", ["accept"], True),
    ("payment_link", "pickup", [], True),
    ("payment_link", "carrier", ["accept", "start_preparation"], True),
    ("cash_on_delivery", "carrier", ["accept", "start_preparation", "ship"], False),
    ("cash_on_delivery", "pickup", ["accept", "start_preparation", "mark_ready_for_pickup"], False),
    ("cash_on_delivery", "to_be_agreed", ["accept"], False),
    ("online", "carrier", ["accept", "start_preparation", "ship", "finalize"], True),
    ("online", "pickup", ["accept", "start_preparation", "mark_ready_for_pickup", "finalize"], True),
    ("online", "to_be_agreed", ["accept", "start_preparation"], True),
    ("transfer", "pickup", ["cancel"], False),
    ("online", "carrier", ["accept", "start_preparation", "ship"], True),
]
# Custom statuses the demo gives some orders, by scenario number: (type, code).
CUSTOM_STATUSES = {
    5: [("delivery", "in_transit")],
    8: [("delivery", "delivered"), ("payment", "invoice_issued")],
    12: [("delivery", "out_for_delivery")],
    7: [("general", "agreed_with_customer")],
}
PRODUCTS = [
    ("REM-001", "Remera de algodón", Decimal("8500.00")),
    ("JEAN-32", "Jean recto azul", Decimal("32000.00")),
    ("ZAP-40", "Zapatillas urbanas", Decimal("54900.00")),
    ("GOR-01", "Gorra bordada", Decimal("6200.00")),
]


@contextmanager
def tasks_run_in_turn():
    """The tasks the demo's moves enqueue (the customers' messages) run here, once the demo is committed,
    one after the other in the order the moves were made. Left to the worker's processes, a later
    message of an order could go out before an earlier one ("we are preparing" before "payment
    approved"): the demo makes in a second what a store does over days."""
    sync, queue_log = Conf.SYNC, logging.getLogger("django-q")
    level = queue_log.level
    Conf.SYNC = True
    queue_log.setLevel(logging.WARNING)  # not four lines of "processing" around each message
    try:
        yield
    finally:
        Conf.SYNC = sync
        queue_log.setLevel(level)


class Command(BaseCommand):
    help = "Load a dozen demo orders covering every payment and fulfillment method (once)."

    def handle(self, *args, **options):
        storefront = Storefront.objects.filter(name="Demo store").first()
        if storefront and storefront.orders.exists():
            self.stdout.write("Demo data already loaded.")
            return
        with tasks_run_in_turn(), transaction.atomic():
            storefront = storefront or create_storefront(name="Demo store", platform="tiendanube")
            carriers = list(Carrier.objects.filter(code__in=["correo-argentino", "andreani"]).order_by("code"))
            for index, (payment_method, fulfillment, moves, paid) in enumerate(SCENARIOS, start=1):
                self._create(index, storefront, carriers, payment_method, fulfillment, moves, paid)
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(SCENARIOS)} demo orders."))

    def _create(self, index, storefront, carriers, payment_method, fulfillment, moves, paid):
        name, email, phone, language, city, street = CUSTOMERS[index % len(CUSTOMERS)]
        sku, product, price = PRODUCTS[index % len(PRODUCTS)]
        by = storefront.user
        order = services.place_order(
            by=by, storefront=storefront, external_id=f"demo-{index}",
            customer_name=name, customer_email=email, customer_phone=phone, language=language,
            payment_method=payment_method, fulfillment_method=fulfillment, currency="ARS",
            city=city,
            address=street if fulfillment == "carrier" else "",
            pickup_point=PICKUP_POINT if fulfillment == "pickup" else "",
            shipping_cost=Decimal("2500.00") if fulfillment == "carrier" else Decimal("0"),
            lines=[{"sku": sku, "name": product, "quantity": 1 + index % 3, "unit_price": price}],
        )
        if paid:
            services.register_payment(order, by=by, amount=order.total, reference=f"DEMO-{index:04d}")
        for move in moves:
            order = Order.objects.get(pk=order.pk)
            if move == "ship":
                carrier = carriers[index % len(carriers)]
                code = "RR123456785AR" if carrier.code == "correo-argentino" else f"36000012345{index:04d}"
                services.ship(order, by=by, carrier=carrier, tracking_code=code)
            elif move == "cancel":
                services.cancel(order, by=by, reason="El cliente pidió cancelar la compra.")
            else:
                getattr(services, move)(order, by=by)
        for status_type, code in CUSTOM_STATUSES.get(index, []):
            services.set_custom_status(Order.objects.get(pk=order.pk), by=by, status_type=status_type, code=code)
