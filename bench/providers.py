"""Local stand-ins for the paid providers in the outage drill (bench/drills.py), on 127.0.0.1: Twilio's
Messages endpoint and Meta's WhatsApp Cloud API, each down (503) until `outage` seconds after its
first request, then taking every message and counting it by (number, content); and what the WhatsApp
drills need in the database (a template for their milestone, credits)."""
from __future__ import annotations

import http.server
import json
import threading
import time
import uuid


class _ProviderStub:
    """A provider on 127.0.0.1: `down()` answers while out, `up(request body)` after."""

    def __init__(self, outage: float):
        self.outage = outage
        self.first = None
        self.unavailable = 0
        self.accepted: dict[tuple[str, str], int] = {}
        self.lock = threading.Lock()
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                with stub.lock:
                    now = time.monotonic()
                    stub.first = stub.first or now
                    if now - stub.first < stub.outage:
                        stub.unavailable += 1
                        status, body = stub.down()
                    else:
                        key = stub.key(raw)
                        stub.accepted[key] = stub.accepted.get(key, 0) + 1
                        status, body = stub.up()
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class TwilioStub(_ProviderStub):
    """Twilio's Messages endpoint: 503 (error 20503) while out, then 201 with a message sid."""

    def env(self) -> dict[str, str]:
        return {
            "SMS_BACKEND": "notifications.backends.sms.twilio.SmsBackend", "TWILIO_API_BASE": self.url,
            "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000001", "TWILIO_AUTH_TOKEN": "bench-token",
            "TWILIO_FROM_NUMBER": "+15005550006",
        }

    @staticmethod
    def key(raw: bytes) -> tuple[str, str]:
        from urllib.parse import parse_qs

        form = parse_qs(raw.decode())
        return form.get("To", [""])[0], form.get("Body", [""])[0]

    @staticmethod
    def down():
        return 503, {"code": 20503, "message": "Service unavailable", "status": 503}

    @staticmethod
    def up():
        return 201, {"sid": "SM" + uuid.uuid4().hex, "status": "queued"}


class CloudApiStub(_ProviderStub):
    """Meta's WhatsApp Cloud API messages endpoint: 503 with error 131000 while out, then the wamid."""

    def env(self) -> dict[str, str]:
        return {
            "WHATSAPP_BACKEND": "notifications.backends.whatsapp.cloud.WhatsAppBackend", "WHATSAPP_API_BASE": self.url,
            "WHATSAPP_PHONE_NUMBER_ID": "106540352242922", "WHATSAPP_ACCESS_TOKEN": "bench-token",
        }

    @staticmethod
    def key(raw: bytes) -> tuple[str, str]:
        body = json.loads(raw)
        return body.get("to", ""), json.dumps(body.get("template"), sort_keys=True)

    @staticmethod
    def down():
        return 503, {"error": {"message": "(#131000) Something went wrong", "code": 131000, "fbtrace_id": "bench"}}

    @staticmethod
    def up():
        return 200, {"messaging_product": "whatsapp", "messages": [{"id": "wamid." + uuid.uuid4().hex}]}


def whatsapp_ready(*, credits: int) -> None:
    """The drills' milestone (order_placed) has a WhatsApp template, and `credits` more credits (at the
    default price, one a message) are there to pay the messages."""
    from billing import services as billing
    from notifications.services import set_whatsapp_template

    set_whatsapp_template(milestone="order_placed", language="es", name="pedido_recibido", language_code="es_AR",
                          parameters=["customer_first_name", "order_number"],
                          text="Hola {{1}}, recibimos tu pedido {{2}}.")
    if credits:
        billing.set_up()
        billing.top_up(amount=credits, by=None, reference="bench WhatsApp drill")
