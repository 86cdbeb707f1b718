"""A local HTTP server on 127.0.0.1 that plays Tiendanube's REST API and Shopify's Admin GraphQL API.

Nothing of the app's HTTP client is replaced: the code under test sends real requests to this
server, found through the settings (TIENDANUBE_API_BASE, SHOPIFY_GRAPHQL_URL, TIENDANUBE_TOKEN_URL).

Paths: `/tn/{store_id}/...` (Tiendanube's API), `/tn-token` (its OAuth token exchange),
`/shopify/{shop}/graphql.json` (Shopify's GraphQL endpoint). The platforms' state is plain data
the tests arrange: `tiendanube_orders[id]` (an order's JSON), `fulfillment_orders[order_id]`,
the webhooks registered on each. `answer(method, path_start, *answers)` queues answers that come
before the normal ones (an outage, a 429): (status, body) or (status, body, headers).
"""
from __future__ import annotations

import http.server
import json
import re
import threading


class PlatformStub:
    def __init__(self):
        self.requests: list[dict] = []
        self.queued: list[tuple[str, str, list]] = []
        self.tiendanube_orders: dict[str, dict] = {}
        self.tiendanube_webhooks: list[dict] = []
        self.tiendanube_store = {"id": 123456, "name": {"es": "Tienda Demo", "pt": "Loja Demo"}}
        self.token_answer = {"access_token": "tn-oauth-token", "token_type": "bearer",
                             "scope": "read_orders,write_orders", "user_id": "123456"}
        self.fulfillment_orders: dict[str, list[dict]] = {}
        self.shopify_webhooks: list[dict] = []
        self.shopify_tokens_issued = 0
        self.lock = threading.Lock()
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    payload = json.loads(raw) if raw else None
                except ValueError:
                    payload = None
                request = {"method": self.command, "path": self.path, "body": raw, "json": payload,
                           "headers": {name.lower(): value for name, value in self.headers.items()}}
                with stub.lock:
                    stub.requests.append(request)
                    answer = stub._queued_answer(self.command, self.path) or stub._answer(request)
                status, body, *headers = answer
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for name, value in (headers[0] if headers else {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    # --- arranging ---------------------------------------------------------------------------

    def url(self, path: str = "") -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def answer(self, method: str, path_start: str, *answers) -> None:
        """Answer the next requests to paths starting with `path_start` with these, in turn."""
        self.queued.append((method, path_start, list(answers)))

    def calls(self, method: str | None = None, contains: str = "") -> list[dict]:
        return [request for request in self.requests
                if (method is None or request["method"] == method) and contains in request["path"]]

    def graphql_calls(self, operation: str) -> list[dict]:
        return [request for request in self.calls("POST", "/graphql.json")
                if operation in (request["json"] or {}).get("query", "")]

    # --- answering ---------------------------------------------------------------------------

    def _queued_answer(self, method, path):
        for index, (queued_method, start, answers) in enumerate(self.queued):
            if queued_method == method and path.startswith(start) and answers:
                answer = answers.pop(0)
                if not answers:
                    self.queued.pop(index)
                return answer
        return None

    def _answer(self, request):
        path, method = request["path"], request["method"]
        if path == "/tn-token" and method == "POST":
            return 200, self.token_answer
        if re.fullmatch(r"/shopify/[^/]+/oauth/access_token", path) and method == "POST":
            self.shopify_tokens_issued += 1
            return 200, {"access_token": f"shpat_issued_{self.shopify_tokens_issued}",
                         "scope": "read_orders,write_merchant_managed_fulfillment_orders", "expires_in": 86399}
        match = re.fullmatch(r"/tn/(\d+)(/.*)", path)
        if match:
            return self._tiendanube(method, match.group(2), request)
        match = re.fullmatch(r"/shopify/([^/]+)/graphql\.json", path)
        if match and method == "POST":
            return self._shopify(request["json"] or {})
        return 404, {"error": "not found"}

    def _tiendanube(self, method, path, request):
        if path == "/store" and method == "GET":
            return 200, self.tiendanube_store
        if path == "/webhooks" and method == "GET":
            return 200, self.tiendanube_webhooks
        if path == "/webhooks" and method == "POST":
            hook = {"id": 8900 + len(self.tiendanube_webhooks), "created_at": "2025-06-01T15:12:15-03:00",
                    "updated_at": "2025-06-01T15:12:15-03:00", **request["json"]}
            self.tiendanube_webhooks.append(hook)
            return 201, hook
        match = re.fullmatch(r"/orders/(\d+)(/fulfill)?", path)
        if match:
            order = self.tiendanube_orders.get(match.group(1))
            if order is None:
                return 404, {"code": 404, "message": "Not Found", "description": "Order with such id does not exist"}
            if match.group(2) and method == "POST":
                body = request["json"] or {}
                order.update(shipping_status="fulfilled", shipping_tracking_number=body.get("shipping_tracking_number"),
                             shipping_tracking_url=body.get("shipping_tracking_url"))
                return 200, order
            if method == "GET":
                return 200, order
        return 404, {"code": 404, "message": "Not Found"}

    def _shopify(self, payload):
        query, variables = payload.get("query", ""), payload.get("variables") or {}
        if "webhookSubscriptionCreate" in query:
            hook = {"id": f"gid://shopify/WebhookSubscription/{len(self.shopify_webhooks) + 1}",
                    "topic": variables["topic"], "uri": variables["webhookSubscription"]["uri"]}
            self.shopify_webhooks.append(hook)
            return 200, {"data": {"webhookSubscriptionCreate": {"webhookSubscription": hook, "userErrors": []}}}
        if "webhookSubscriptions" in query:
            return 200, {"data": {"webhookSubscriptions": {"nodes": self.shopify_webhooks}}}
        if "fulfillmentOrders" in query:
            order_id = variables["id"].rsplit("/", 1)[-1]
            if order_id not in self.fulfillment_orders:
                return 200, {"data": {"order": None}}
            nodes = self.fulfillment_orders[order_id]
            return 200, {"data": {"order": {"id": variables["id"], "fulfillmentOrders": {"nodes": nodes}}}}
        if "fulfillmentCreate" in query:
            wanted = {item["fulfillmentOrderId"] for item in variables["fulfillment"]["lineItemsByFulfillmentOrder"]}
            for nodes in self.fulfillment_orders.values():
                for node in nodes:
                    if node["id"] in wanted:
                        node["status"] = "CLOSED"
            fulfillment = {"id": "gid://shopify/Fulfillment/255858046", "status": "SUCCESS"}
            return 200, {"data": {"fulfillmentCreate": {"fulfillment": fulfillment, "userErrors": []}}}
        return 200, {"errors": [{"message": "unknown query in the stub"}]}

    # --- lifecycle ---------------------------------------------------------------------------

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
