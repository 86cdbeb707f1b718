"""Orders at a given point of their life, moved there through orders/services/ so their
timeline events are the real ones."""
import base64
from html.parser import HTMLParser

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from carriers.models import Carrier
from orders import events, services
from orders.models import FulfillmentMethod, PaymentMethod, PaymentStatus, Status
from tests.factories import OrderFactory, UserFactory

TRACKING_CODE = "360000123456780"
CARRIER_PATH = [Status.PENDING, Status.ACCEPTED, Status.PREPARING, Status.SHIPPED, Status.FINALIZED]
PICKUP_PATH = [Status.PENDING, Status.ACCEPTED, Status.PREPARING, Status.READY_FOR_PICKUP, Status.FINALIZED]


def timeline_carrier(template="https://tracking.example.com/envio/{code}") -> Carrier:
    carrier, _ = Carrier.objects.update_or_create(
        code="timeline-test-post",
        defaults={
            "name": "Correo Rápido",
            "tracking_url_template": template,
            "tracking_code_regex": r"\d{10,20}",
            "tracking_code_example": TRACKING_CODE,
        },
    )
    return carrier




def order_at(status=Status.PENDING, fulfillment=FulfillmentMethod.CARRIER, *, cancelled_from=None, carrier=None,
             payment_method=PaymentMethod.ONLINE, paid=True, **fields):
    """An order placed and then moved, step by step, up to `status` (or cancelled from `cancelled_from`)."""
    if fulfillment != FulfillmentMethod.CARRIER:
        fields.setdefault("address", "")
        fields.setdefault("pickup_point", "Local Palermo, Honduras 4800, CABA\nLunes a viernes de 10 a 19 h")
    order = OrderFactory(
        fulfillment_method=fulfillment,
        payment_method=payment_method,
        payment_status=PaymentStatus.PAID if paid else PaymentStatus.UNPAID,
        **fields,
    )
    events.order_placed_event(order=order, user=None)
    staff = UserFactory(username="timeline-staff")
    path = CARRIER_PATH if fulfillment == FulfillmentMethod.CARRIER else PICKUP_PATH
    target = cancelled_from if status == Status.CANCELLED else status
    if status == Status.CANCELLED and target is None:
        target = Status.PENDING
    for step in path[1: path.index(target) + 1]:
        if step == Status.ACCEPTED:
            order = services.accept(order, by=staff, notify_customer=False)
        elif step == Status.PREPARING:
            order = services.start_preparation(order, by=staff, notify_customer=False)
        elif step == Status.SHIPPED:
            order = services.ship(
                order, by=staff, carrier=carrier or timeline_carrier(), tracking_code=TRACKING_CODE, notify_customer=False
            )
        elif step == Status.READY_FOR_PICKUP:
            order = services.mark_ready_for_pickup(order, by=staff, notify_customer=False)
        elif step == Status.FINALIZED:
            order = services.finalize(order, by=staff, notify_customer=False)
    if status == Status.CANCELLED:
        order = services.cancel(order, by=staff, reason="Sin stock del talle pedido", notify_customer=False)
    order.refresh_from_db()
    return order


class _Steps(HTMLParser):
    def __init__(self):
        super().__init__()
        self.steps = []
        self._in_label = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and "data-step" in attrs:
            classes = attrs.get("class", "").split()
            state = next(c.split("--")[1] for c in classes if c in ("step--done", "step--current", "step--upcoming"))
            self.steps.append({
                "code": attrs["data-step"], "state": state, "current": attrs.get("aria-current") == "step",
                "label": "", "date": None,
            })
        elif tag == "span" and "step__label" in attrs.get("class", "").split():
            self._in_label = True
        elif tag == "time" and self.steps and "step__date" in attrs.get("class", ""):
            self.steps[-1]["date"] = attrs.get("datetime")

    def handle_endtag(self, tag):
        if tag == "span":
            self._in_label = False

    def handle_data(self, data):
        if self._in_label and self.steps:
            self.steps[-1]["label"] += data.strip()


def rendered_steps(html: str) -> list[dict]:
    """The steps of a timeline page: code, state (done/current/upcoming), label, date (ISO) and aria-current."""
    parser = _Steps()
    parser.feed(html)
    return parser.steps


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def browser_keys() -> tuple[str, str]:
    """A fresh (p256dh, auth) pair as a browser makes them: an uncompressed P-256 point and 16 bytes."""
    point = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point), b64url(b"0123456789abcdef")


def subscription_json(endpoint="https://fcm.googleapis.com/fcm/send/dGVzdC1kZXZpY2U:APA91bH", p256dh=None, auth=None):
    key, secret = browser_keys()
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": p256dh if p256dh is not None else key, "auth": auth if auth is not None else secret},
    }
