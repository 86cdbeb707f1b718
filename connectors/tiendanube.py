"""Tiendanube / Nuvemshop: the API client, the webhook signature and the order's JSON.

From the platform's public API documentation (tiendanube.github.io/api-documentation):
- REST at `{TIENDANUBE_API_BASE}/{store_id}/...` (e.g. https://api.tiendanube.com/2025-03/123456;
  api.nuvemshop.com.br is the same API), with the header `Authentication: bearer <token>` (that
  name, not `Authorization`) and a `User-Agent` naming the app and a contact (400 without it).
- Rate limit: a leaky bucket of 40 requests draining 2 a second; `X-Rate-Limit-Remaining` and
  `X-Rate-Limit-Reset` (milliseconds until it is empty) on every answer, 429 when it is full.
- OAuth: the store owner authorizes at `https://www.tiendanube.com/apps/{client_id}/authorize`,
  comes back with a `code` (valid 30 seconds) exchanged at `POST /apps/authorize/token` for
  `{access_token, token_type, scope, user_id}`; `user_id` is the store id; tokens do not expire.
- Webhooks: `POST /webhooks {"event", "url"}`; the body is `{"store_id", "event", "id"}` only,
  signed in `X-Linkedstore-HMAC-SHA256` with the HMAC-SHA256 of the raw body keyed by the app's
  client secret (hex in the official example). Deliveries may repeat and come in any order.
- Tracking: `POST /orders/{id}/fulfill {shipping_tracking_number, shipping_tracking_url, notify_customer}`.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import urlencode

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from . import http
from .platform_order import PlatformOrder, amount, email, join, language, line, moment, phone, quantity, reconcile
from .platform_order import text, values

SIGNATURE_HEADER = "X-Linkedstore-HMAC-SHA256"
# What connecting registers: the order events we act on, and the uninstall (the connection stops).
ORDER_TOPICS = ["order/created", "order/updated", "order/paid", "order/cancelled"]
WEBHOOK_TOPICS = [*ORDER_TOPICS, "app/uninstalled"]
PRIVACY_TOPICS = ["store/redact", "customers/redact", "customers/data_request"]
MAX_THROTTLE_WAIT = 5.0


def user_agent() -> str:
    return f"{settings.STORE_NAME} order back office ({settings.STORE_EMAIL})"


def app_secret() -> str:
    return settings.TIENDANUBE_CLIENT_SECRET


def sign(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, header: str, secret: str) -> bool:
    """The header is the HMAC-SHA256 of the raw body keyed by the secret: hex (as documented) or base64."""
    if not header or not secret:
        return False
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    header = header.strip()
    return hmac.compare_digest(header.lower(), digest.hex()) or hmac.compare_digest(
        header, base64.b64encode(digest).decode()
    )


class Client(http.Client):
    def __init__(self, *, store_id: str, access_token: str, **kwargs):
        super().__init__(**kwargs)
        self.base = f"{settings.TIENDANUBE_API_BASE.rstrip('/')}/{store_id}"
        self.access_token = access_token

    def headers(self) -> dict:
        return {
            **super().headers(),
            "Authentication": f"bearer {self.access_token}",
            "User-Agent": user_agent(),
        }

    def throttle(self, response) -> None:
        """The bucket is full: wait until it has drained before the next call (at most a few seconds)."""
        if response.headers.get("X-Rate-Limit-Remaining", "").strip() == "0":
            try:
                wait = float(response.headers.get("X-Rate-Limit-Reset", "0")) / 1000
            except ValueError:
                wait = 1.0
            self.sleep(min(max(wait, 0.0), MAX_THROTTLE_WAIT))

    def get_order(self, order_id) -> dict:
        return self.request("GET", f"{self.base}/orders/{order_id}")

    def get_store(self) -> dict:
        return self.request("GET", f"{self.base}/store")

    def webhooks(self) -> list[dict]:
        return self.request("GET", f"{self.base}/webhooks") or []

    def create_webhook(self, event: str, url: str) -> dict:
        return self.request("POST", f"{self.base}/webhooks", payload={"event": event, "url": url})

    def fulfill(self, order_id, *, tracking_number: str = "", tracking_url: str = "") -> dict:
        """Mark the order fulfilled with our tracking, the platform's own email to the customer off."""
        payload = {"notify_customer": False}
        if tracking_number:
            payload["shipping_tracking_number"] = tracking_number
        if tracking_url:
            payload["shipping_tracking_url"] = tracking_url
        return self.request("POST", f"{self.base}/orders/{order_id}/fulfill", payload=payload)


# --- OAuth -------------------------------------------------------------------------------------


def authorize_url(state: str) -> str:
    base = settings.TIENDANUBE_AUTHORIZE_URL.format(client_id=settings.TIENDANUBE_CLIENT_ID)
    return f"{base}{'&' if '?' in base else '?'}{urlencode({'state': state})}"


def exchange_code(code: str, *, session=None) -> dict:
    """`{access_token, scope, user_id}` for an authorization code (http.Refused if it is not valid)."""
    client = http.Client(session=session)
    answer = client.request("POST", settings.TIENDANUBE_TOKEN_URL, payload={
        "client_id": settings.TIENDANUBE_CLIENT_ID, "client_secret": settings.TIENDANUBE_CLIENT_SECRET,
        "grant_type": "authorization_code", "code": code,
    })
    if not isinstance(answer, dict) or not answer.get("access_token") or not answer.get("user_id"):
        error = answer.get("error_description") or answer.get("error") if isinstance(answer, dict) else ""
        raise http.Refused(f"the platform gave no access token: {error or answer}")
    return answer


# --- the order ---------------------------------------------------------------------------------

def cancel_reason(code) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        reason = {
            "customer": _("the customer asked to cancel it"), "fraud": _("suspected fraud"),
            "inventory": _("out of stock"), "other": _("another reason"),
        }.get(text(code), text(code) or _("no reason given"))
        return _("Cancelled on Tiendanube: %(reason)s") % {"reason": reason}


def _localized(value) -> str:
    """Product names may come as {"es": ..., "pt": ...}: the store's language, else any."""
    if isinstance(value, dict):
        return text(value.get(settings.LANGUAGE_CODE[:2])) or next((text(v) for v in value.values() if text(v)), "")
    return text(value)


def _address(data: dict | None) -> tuple[str, str]:
    if not isinstance(data, dict):
        return "", ""
    street = join(data.get("address"), data.get("number"), separator=" ")
    place = join(data.get("zipcode"), data.get("city"), separator=" ")
    return join(street, data.get("floor"), data.get("locality"), place, data.get("province"), data.get("country")), \
        text(data.get("city"), 100)


def _pickup_point(data: dict) -> str:
    details = data.get("shipping_pickup_details")
    if isinstance(details, dict):
        address, _city = _address(details.get("address"))
        hours = details.get("hours")
        hours = "; ".join(text(item) for item in hours) if isinstance(hours, list) else text(hours)
        point = join(details.get("name"), address, hours)
        if point:
            return point
    return join(data.get("shipping_store_branch_name"), data.get("shipping_option"))


def parse_order(data: dict) -> PlatformOrder:
    notes: list[str] = []
    customer = data.get("customer") if isinstance(data.get("customer"), dict) else {}
    shipping_address = data.get("shipping_address") if isinstance(data.get("shipping_address"), dict) else {}
    payment_details = data.get("payment_details") if isinstance(data.get("payment_details"), dict) else {}
    address, city = _address(shipping_address)
    order = PlatformOrder(
        platform_id=text(data.get("id")),
        number=text(data.get("number")),
        updated_at=moment(data.get("updated_at")),
        customer_name=text(customer.get("name") or shipping_address.get("name") or data.get("billing_name")
                           or data.get("contact_name"), 200),
        customer_email=email(data.get("contact_email") or customer.get("email"), notes),
        customer_phone=phone(data.get("contact_phone") or customer.get("phone") or shipping_address.get("phone")
                             or data.get("billing_phone"), notes),
        language=language(data.get("language")),
        currency=text(data.get("currency")).upper(),
        lines=[
            line(sku=item.get("sku"), name=_localized(item.get("name")), quantity_value=quantity(item.get("quantity")),
                 unit_price=amount(item.get("price")))
            for item in data.get("products") or [] if isinstance(item, dict) and quantity(item.get("quantity")) > 0
        ],
        shipping_cost=amount(data.get("shipping_cost_customer")),
        total=amount(data.get("total")),
        address=address,
        city=city,
        pickup_point=_pickup_point(data) if text(data.get("shipping_pickup_type")) == "pickup" else "",
        payment_facts={
            "gateway": values(data.get("gateway")),
            "payment_details.method": values(payment_details.get("method")),
            "payment_status": values(data.get("payment_status")),
        },
        fulfillment_facts={
            "shipping_pickup_type": values(data.get("shipping_pickup_type")),
            "shipping_option": values(data.get("shipping_option")),
            "shipping": values(data.get("shipping")),
        },
        paid=text(data.get("payment_status")) == "paid",
        payment_reference=text(join(data.get("gateway_name") or data.get("gateway"), data.get("gateway_id"),
                                    separator=" "), 120),
        cancelled=text(data.get("status")) == "cancelled",
        cancel_reason=cancel_reason(data.get("cancel_reason")),
        notes=notes,
    )
    if not order.customer_name:
        order.customer_name = order.customer_email or f"Tiendanube #{order.number or order.platform_id}"
    reconcile(order)
    return order
