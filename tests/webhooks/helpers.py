"""Helpers for the webhooks tests: orders through the real services, a local receiver, an
independent signature check (hmac and hashlib here, never the app's own signing code)."""
import hashlib
import hmac
import http.server
import json
import threading
from decimal import Decimal

from orders import services
from tests.factories import carrier
from webhooks.models import Endpoint, Event

TRACKING_CODE = "RR123456785AR"  # a Correo Argentino S10 code with a valid check digit
ALL_EVENTS = list(Event.values)


def endpoint(storefront, url="https://hooks.example.com/orders", events=None, **fields) -> Endpoint:
    """Arrange an endpoint (its secret is generated like any other)."""
    return Endpoint.objects.create(storefront=storefront, url=url, events=ALL_EVENTS if events is None else events,
                                   **fields)


def place(*, by, storefront, payment=None, **extra):
    fields = dict(
        by=by, storefront=storefront, customer_name="María Pérez", customer_email="maria@example.com",
        customer_phone="+5491155550000", language="es", payment_method="transfer", fulfillment_method="carrier",
        currency="ARS", address="Av. Colón 1234, Córdoba", city="Córdoba", external_id="TN-1001",
        lines=[{"sku": "REM-001", "name": "Remera de algodón", "quantity": 2, "unit_price": "5000.00"}],
        shipping_cost="1500.00", payment=payment,
    )
    fields.update(extra)
    return services.place_order(**fields)


def pay(order, *, by, reference="MP-123"):
    services.register_payment(order, by=by, amount=Decimal(order.total), reference=reference)
    order.refresh_from_db()
    return order


def ship(order, *, by):
    return services.ship(order, by=by, carrier=carrier("correo-argentino"), tracking_code=TRACKING_CODE)


def to_preparing(order, *, by):
    order = pay(order, by=by)
    services.accept(order, by=by)
    return services.start_preparation(order, by=by)


def verify_signature(header: str, body: bytes, secret: str) -> int:
    """Check `X-Webhook-Signature: t=<ts>,v1=<hex>` the way a receiver would; returns the timestamp."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = parts["t"]
    expected = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, parts["v1"]):
        raise AssertionError("bad signature")
    return int(timestamp)


class Receiver:
    """A local HTTP server on 127.0.0.1 (random port) answering POSTs from a list of answers.

    Each answer is (status, body), (status, body, headers) or ("hang", seconds): wait that long before answering, so the
    sender's timeout fires. The last answer repeats. Requests are recorded with their path,
    headers (lower-case names) and raw body.
    """

    def __init__(self, *answers):
        self.answers = list(answers) or [(200, "ok")]
        self.requests = []
        self.release = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                receiver.requests.append({
                    "path": self.path,
                    "headers": {name.lower(): value for name, value in self.headers.items()},
                    "body": self.rfile.read(length),
                })
                status, body, *headers = receiver.answers[min(len(receiver.requests), len(receiver.answers)) - 1]
                if status == "hang":
                    receiver.release.wait(body)
                    status, body = 200, "too late"
                payload = body if isinstance(body, bytes) else (
                    body.encode() if isinstance(body, str) else json.dumps(body).encode()
                )
                try:
                    self.send_response(status)
                    for name, value in (headers[0] if headers else {}).items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the sender gave up waiting

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path="/hooks/orders"):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def bodies(self) -> list[dict]:
        return [json.loads(request["body"]) for request in self.requests]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
