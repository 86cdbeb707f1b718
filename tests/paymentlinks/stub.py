"""A local stand-in for Mercado Pago's API: a real HTTP server on 127.0.0.1 (random port).

It answers what the code calls: `POST /checkout/preferences` (a preference with an `init_point`)
and `GET /v1/payments/{id}` (from `payments`, else 404). `down = True` answers 503 to everything,
`hang = seconds` waits before answering (the caller's timeout fires first). Every request is
recorded with its method, path, headers (lower-case names) and JSON body.
"""
import http.server
import json
import threading


class MercadoPagoStub:
    def __init__(self):
        self.payments: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.down = False
        self.refuse_preferences = None  # (status, body) to answer preference creation with
        self.hang = 0.0
        self.release = threading.Event()
        self.preferences = 0
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                stub.requests.append({
                    "method": self.command, "path": self.path,
                    "headers": {name.lower(): value for name, value in self.headers.items()},
                    "body": json.loads(raw) if raw else None,
                })

            def _send(self, status, payload):
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the caller gave up waiting

            def _answer(self):
                if stub.hang:
                    stub.release.wait(stub.hang)
                if stub.down:
                    return 503, {"message": "service unavailable"}
                if self.command == "POST" and self.path == "/checkout/preferences":
                    if stub.refuse_preferences:
                        return stub.refuse_preferences
                    stub.preferences += 1
                    pref = f"123456-pref-{stub.preferences}"
                    return 201, {
                        "id": pref,
                        "init_point": f"https://www.mercadopago.com.ar/checkout/v1/redirect?pref_id={pref}",
                        "sandbox_init_point": f"https://sandbox.mercadopago.com.ar/checkout/v1/redirect?pref_id={pref}",
                    }
                if self.command == "GET" and self.path.startswith("/v1/payments/"):
                    payment = stub.payments.get(self.path.rsplit("/", 1)[1])
                    if payment is None:
                        return 404, {"message": "Payment not found", "status": 404}
                    return 200, payment
                return 404, {"message": "not found"}

            def do_POST(self):
                self._record()
                self._send(*self._answer())

            def do_GET(self):
                self._record()
                self._send(*self._answer())

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def pay(self, payment_id, *, order, status="approved", amount=None, currency=None, reference=None, **extra):
        """Make Mercado Pago show a payment of `order` (by default approved, for its total and currency)."""
        self.payments[str(payment_id)] = {
            "id": int(payment_id), "status": status, "status_detail": "accredited" if status == "approved" else status,
            "transaction_amount": float(order.total if amount is None else amount),
            "currency_id": currency or order.currency,
            "external_reference": order.number if reference is None else reference, **extra,
        }

    def calls(self, method=None, prefix=""):
        return [r for r in self.requests if (method is None or r["method"] == method) and r["path"].startswith(prefix)]

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
