"""Helpers for the notifications tests: placing orders through the real services, local stub servers."""
import http.server
import json
import threading
from decimal import Decimal

from notifications.models import MilestoneSetting, PushSubscription
from orders import services
from tests.factories import carrier

TRACKING_CODE = "RR123456785AR"  # a Correo Argentino S10 code with a valid check digit


def place(*, by, language="es", fulfillment="carrier", payment_method="transfer", email="maria@example.com",
          phone="+5491155550000", storefront=None, notify_customer=True, **extra):
    fields = dict(
        by=by, customer_name="María Pérez", customer_email=email, customer_phone=phone, language=language,
        payment_method=payment_method, fulfillment_method=fulfillment, currency="ARS",
        lines=[{"sku": "REM-001", "name": "Remera de algodón", "quantity": 2, "unit_price": "5000.00"}],
        shipping_cost="1500.00", storefront=storefront, notify_customer=notify_customer,
    )
    if fulfillment == "carrier":
        fields.update(address="Av. Colón 1234, Córdoba", city="Córdoba")
    elif fulfillment == "pickup":
        fields.update(pickup_point="Local Palermo, Honduras 4800, CABA")
    fields.update(extra)
    return services.place_order(**fields)


def pay(order, *, by, notify_customer=True):
    services.register_payment(order, by=by, amount=Decimal(order.total), notify_customer=notify_customer)
    order.refresh_from_db()
    return order


def ship(order, *, by, notify_customer=True):
    return services.ship(order, by=by, carrier=carrier("correo-argentino"), tracking_code=TRACKING_CODE,
                         notify_customer=notify_customer)


def subscribe(order, endpoint="https://push.example.net/send/abc", p256dh="BKey", auth="secret"):
    return PushSubscription.objects.create(order=order, endpoint=endpoint, p256dh=p256dh, auth=auth)


def switch(milestone, **fields):
    """Set a milestone's purchase experience switches (arranging a test)."""
    MilestoneSetting.objects.update_or_create(milestone=milestone, defaults=fields)


class StubServer:
    """A local HTTP server on 127.0.0.1 with a random port, answering from a list of responses.

    Each response is (status, headers, body); the last one repeats. Requests are recorded as
    dicts with path, headers (lower-case names) and body.
    """

    def __init__(self, responses):
        self.responses = list(responses)
        self.requests = []
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                stub.requests.append({
                    "path": self.path,
                    "headers": {name.lower(): value for name, value in self.headers.items()},
                    "body": self.rfile.read(length),
                })
                index = min(len(stub.requests), len(stub.responses)) - 1
                status, headers, body = stub.responses[index]
                payload = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
