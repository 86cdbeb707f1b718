"""Shopify: the Admin GraphQL client, the webhook signature and the order's JSON.

From Shopify's public documentation (shopify.dev):
- Admin GraphQL API at `https://{shop}/admin/api/{version}/graphql.json` (`SHOPIFY_GRAPHQL_URL`),
  header `X-Shopify-Access-Token`. The token is a legacy custom app's admin API access token
  (`shpat_...`, made in the store's admin before 2026, it does not expire), or, for an app made in
  the Dev Dashboard and installed on the store, one obtained with the client credentials grant:
  `POST https://{shop}/admin/oauth/access_token` (form: `grant_type=client_credentials`,
  `client_id`, `client_secret`; `SHOPIFY_TOKEN_URL`) answers `{access_token, scope, expires_in}`
  (about a day); the app's client secret signs its webhooks.
  Throttling is by query cost: an answer whose `errors` say `THROTTLED` comes with
  `extensions.cost.throttleStatus` (`currentlyAvailable`, `restoreRate` a second); REST-style 429s
  carry `Retry-After`.
- Webhooks `orders/create`, `orders/updated`, `orders/paid`, `orders/cancelled` carry the whole
  order, signed in `X-Shopify-Hmac-Sha256`: the base64 HMAC-SHA256 of the raw body keyed by the
  app's secret. `X-Shopify-Event-Id` is the same on every delivery of one event (duplicates),
  `X-Shopify-Webhook-Id` names a delivery, `X-Shopify-Shop-Domain` the shop, `X-Shopify-Topic` the
  topic. Registered with `webhookSubscriptionCreate(topic, webhookSubscription: {uri, format})`.
- Tracking: read `order.fulfillmentOrders`, then `fulfillmentCreate(fulfillment:
  {lineItemsByFulfillmentOrder, trackingInfo: {company, number, url}, notifyCustomer: false})`.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from . import http
from .platform_order import PlatformOrder, amount, email, join, language, line, moment, phone, quantity, reconcile
from .platform_order import text, values

SIGNATURE_HEADER = "X-Shopify-Hmac-Sha256"
ORDER_TOPICS = ["orders/create", "orders/updated", "orders/paid", "orders/cancelled"]
WEBHOOK_TOPICS = [*ORDER_TOPICS, "app/uninstalled"]
PRIVACY_TOPICS = ["customers/data_request", "customers/redact", "shop/redact"]
# Fulfillment orders that can be fulfilled now.
FULFILLABLE = {"OPEN", "IN_PROGRESS"}
PAID = {"paid", "partially_refunded"}
SHOP_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$")

FULFILLMENT_ORDERS = """
query OrderFulfillmentOrders($id: ID!) {
  order(id: $id) {
    id
    fulfillmentOrders(first: 20) { nodes { id status } }
  }
}
"""
FULFILLMENT_CREATE = """
mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status }
    userErrors { field message }
  }
}
"""
WEBHOOK_SUBSCRIPTIONS = """
query WebhookSubscriptions {
  webhookSubscriptions(first: 100) { nodes { id topic uri } }
}
"""
WEBHOOK_SUBSCRIPTION_CREATE = """
mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}
"""


def graphql_topic(topic: str) -> str:
    """"orders/create" -> "ORDERS_CREATE"."""
    return topic.replace("/", "_").upper()


def order_gid(order_id) -> str:
    return f"gid://shopify/Order/{order_id}"


def clean_shop(value: str) -> str:
    """The shop's myshopify.com domain, from what a person typed (a URL, capitals); "" if it is not one."""
    shop = text(value).lower().removeprefix("https://").removeprefix("http://").split("/")[0]
    return shop if SHOP_DOMAIN.match(shop) else ""


def sign(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def verify(body: bytes, header: str, secret: str) -> bool:
    if not header or not secret:
        return False
    return hmac.compare_digest(header.strip(), sign(body, secret))


def request_token(shop: str, client_id: str, client_secret: str, *, session=None) -> dict:
    """A new access token by the client credentials grant: {access_token, scope, expires_in}."""
    answer = http.Client(session=session).request("POST", settings.SHOPIFY_TOKEN_URL.format(shop=shop), form={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret,
    })
    if not isinstance(answer, dict) or not answer.get("access_token"):
        raise http.Refused(f"Shopify gave no access token: {answer}")
    return answer


class Client(http.Client):
    def __init__(self, *, shop: str, access_token: str, **kwargs):
        super().__init__(**kwargs)
        self.url = settings.SHOPIFY_GRAPHQL_URL.format(shop=shop)
        self.access_token = access_token

    def headers(self) -> dict:
        return {**super().headers(), "X-Shopify-Access-Token": self.access_token}

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        """The `data` of the answer; throttled queries are waited out (as http.Client does for 429s)."""
        for attempt in range(http.RATE_LIMIT_RETRIES + 1):
            answer = self.request("POST", self.url, payload={"query": query, "variables": variables or {}})
            errors = answer.get("errors") if isinstance(answer, dict) else None
            if not errors:
                return (answer or {}).get("data") or {}
            if any((error.get("extensions") or {}).get("code") == "THROTTLED" for error in errors
                   if isinstance(error, dict)):
                wait = self._throttle_wait(answer)
                if attempt < http.RATE_LIMIT_RETRIES and wait <= http.MAX_WAIT_SECONDS:
                    self.sleep(wait)
                    continue
                raise http.Transient("throttled by Shopify", retry_after=wait, body=str(answer))
            messages = "; ".join(text(error.get("message")) if isinstance(error, dict) else text(error)
                                 for error in errors)
            raise http.Refused(f"Shopify refused the query: {messages}", body=str(answer))
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _throttle_wait(answer: dict) -> float:
        cost = (answer.get("extensions") or {}).get("cost") or {}
        status = cost.get("throttleStatus") or {}
        try:
            missing = float(cost.get("requestedQueryCost", 0)) - float(status.get("currentlyAvailable", 0))
            return max(missing / float(status.get("restoreRate") or 50), 1.0)
        except (TypeError, ValueError):
            return 1.0

    def fulfillment_orders(self, order_id) -> list[dict]:
        data = self.graphql(FULFILLMENT_ORDERS, {"id": order_gid(order_id)})
        order = data.get("order")
        if not order:
            raise http.NotFound(f"Shopify has no order {order_id}")
        return ((order.get("fulfillmentOrders") or {}).get("nodes")) or []

    def fulfill(self, order_id, *, company: str = "", number: str = "", url: str = "") -> dict | None:
        """Fulfil what is still open of the order, with our tracking and Shopify's email off.

        None when nothing is left to fulfil (done before, e.g. by an attempt whose answer was lost).
        """
        open_orders = [node["id"] for node in self.fulfillment_orders(order_id) if node.get("status") in FULFILLABLE]
        if not open_orders:
            return None
        fulfillment = {
            "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": gid} for gid in open_orders],
            "notifyCustomer": False,
        }
        tracking = {key: value for key, value in (("company", company), ("number", number), ("url", url)) if value}
        if tracking:
            fulfillment["trackingInfo"] = tracking
        result = self.graphql(FULFILLMENT_CREATE, {"fulfillment": fulfillment}).get("fulfillmentCreate") or {}
        if result.get("userErrors"):
            raise http.Refused("Shopify refused the fulfillment: " + "; ".join(
                text(error.get("message")) for error in result["userErrors"]), body=str(result))
        return result.get("fulfillment") or {}

    def webhooks(self) -> list[dict]:
        return ((self.graphql(WEBHOOK_SUBSCRIPTIONS).get("webhookSubscriptions") or {}).get("nodes")) or []

    def create_webhook(self, topic: str, uri: str) -> dict:
        result = self.graphql(WEBHOOK_SUBSCRIPTION_CREATE, {
            "topic": graphql_topic(topic), "webhookSubscription": {"uri": uri, "format": "JSON"},
        }).get("webhookSubscriptionCreate") or {}
        if result.get("userErrors"):
            raise http.Refused("; ".join(text(error.get("message")) for error in result["userErrors"]),
                               body=str(result))
        return result.get("webhookSubscription") or {}


# --- the order ---------------------------------------------------------------------------------


def cancel_reason(code) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        reason = {
            "customer": _("the customer asked to cancel it"), "fraud": _("suspected fraud"),
            "inventory": _("out of stock"), "declined": _("the payment was declined"),
            "staff": _("a staff error"), "other": _("another reason"),
        }.get(text(code).lower(), text(code) or _("no reason given"))
        return _("Cancelled on Shopify: %(reason)s") % {"reason": reason}


def _name(data: dict | None) -> str:
    if not isinstance(data, dict):
        return ""
    return text(data.get("name")) or join(data.get("first_name"), data.get("last_name"), separator=" ")


def _address(data: dict | None) -> tuple[str, str]:
    if not isinstance(data, dict):
        return "", ""
    place = join(data.get("zip"), data.get("city"), separator=" ")
    return join(data.get("address1"), data.get("address2"), place, data.get("province"), data.get("country")), \
        text(data.get("city"), 100)


def _shipping_cost(data: dict) -> str:
    shop_money = ((data.get("total_shipping_price_set") or {}).get("shop_money") or {}).get("amount")
    if shop_money not in (None, ""):
        return shop_money
    return sum((amount(item.get("price")) for item in data.get("shipping_lines") or [] if isinstance(item, dict)),
               amount(0))


def parse_order(data: dict) -> PlatformOrder:
    notes: list[str] = []
    customer = data.get("customer") if isinstance(data.get("customer"), dict) else {}
    shipping_address = data.get("shipping_address") if isinstance(data.get("shipping_address"), dict) else None
    shipping_lines = [item for item in data.get("shipping_lines") or [] if isinstance(item, dict)]
    address, city = _address(shipping_address)
    gateways = values(data.get("payment_gateway_names") or [], data.get("gateway"))
    order = PlatformOrder(
        platform_id=text(data.get("id")),
        number=text(data.get("name") or data.get("order_number")),
        updated_at=moment(data.get("updated_at")),
        customer_name=text(_name(customer) or _name(shipping_address) or _name(data.get("billing_address")), 200),
        customer_email=email(data.get("email") or data.get("contact_email") or customer.get("email"), notes),
        customer_phone=phone(data.get("phone") or customer.get("phone") or (shipping_address or {}).get("phone"),
                             notes),
        language=language(data.get("customer_locale")),
        currency=text(data.get("currency")).upper(),
        lines=[
            line(sku=item.get("sku"), name=join(item.get("title") or item.get("name"), item.get("variant_title"),
                                                 separator=" · "),
                 quantity_value=quantity(item.get("quantity")), unit_price=amount(item.get("price")))
            for item in data.get("line_items") or [] if isinstance(item, dict) and quantity(item.get("quantity")) > 0
        ],
        shipping_cost=amount(_shipping_cost(data)),
        total=amount(data.get("total_price")),
        address=address,
        city=city,
        pickup_point="" if shipping_address else join(*(item.get("title") for item in shipping_lines)),
        payment_facts={
            "payment_gateway_names": gateways,
            "financial_status": values(data.get("financial_status")),
        },
        fulfillment_facts={
            "shipping_address": ["present" if shipping_address else "absent"],
            "shipping_lines.title": values([item.get("title") for item in shipping_lines]),
            "shipping_lines.code": values([item.get("code") for item in shipping_lines]),
        },
        paid=text(data.get("financial_status")) in PAID,
        payment_reference=text(join(", ".join(gateways), f"Shopify {text(data.get('name'))}".strip(),
                                    separator=" · "), 120),
        cancelled=bool(data.get("cancelled_at")),
        cancel_reason=cancel_reason(data.get("cancel_reason")),
        notes=notes,
    )
    if not order.customer_name:
        order.customer_name = order.customer_email or f"Shopify {order.number or order.platform_id}"
    reconcile(order)
    return order
