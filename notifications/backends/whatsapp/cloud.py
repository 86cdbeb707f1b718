"""Meta's WhatsApp Cloud API: a template message is a JSON POST to
`{WHATSAPP_API_BASE}/{WHATSAPP_API_VERSION}/{WHATSAPP_PHONE_NUMBER_ID}/messages` with the
bearer token WHATSAPP_ACCESS_TOKEN; the answer's `messages[0].id` is the message's id ("wamid...."),
which the status webhook names (notifications/whatsapp_hook.py).

Meta's error answers carry `error.code` (developers.facebook.com › WhatsApp › Support › Error
codes): rate limits, throughput and Meta's own outages are transient (retried by the outbox);
everything else (a template that does not exist, is paused or disabled, parameters that do not
match it, a recipient that is not on WhatsApp, an expired token) is permanent: retrying sends the
same refusal.
"""
from __future__ import annotations

import urllib.parse

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ..base import BaseWhatsAppBackend, HttpSessionMixin, PermanentError, TransientError

# Worth trying again later: API unknown / service (1, 2), too many calls (4, 80007), rate limit
# hit (130429), spam rate limit (131048), pair rate limit (131056), something went wrong (131000),
# service unavailable (131016), server temporarily unavailable (133004).
TRANSIENT_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 133004})


class WhatsAppBackend(HttpSessionMixin, BaseWhatsAppBackend):
    def __init__(self, *args, phone_number_id=None, access_token=None, api_base=None, api_version=None,
                 timeout=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.phone_number_id = phone_number_id or settings.WHATSAPP_PHONE_NUMBER_ID
        self.access_token = access_token or settings.WHATSAPP_ACCESS_TOKEN
        self.api_base = (api_base or settings.WHATSAPP_API_BASE).rstrip("/")
        self.api_version = (api_version or settings.WHATSAPP_API_VERSION).strip("/")
        self.timeout = timeout or settings.WHATSAPP_TIMEOUT_SECONDS
        if not (self.phone_number_id and self.access_token):
            raise ImproperlyConfigured(
                "The WhatsApp Cloud API backend needs WHATSAPP_PHONE_NUMBER_ID and WHATSAPP_ACCESS_TOKEN."
            )

    @property
    def messages_url(self) -> str:
        number_id = urllib.parse.quote(self.phone_number_id, safe="")
        return f"{self.api_base}/{self.api_version}/{number_id}/messages"

    def new_session(self):
        session = requests.Session()
        session.trust_env = False  # no proxies from the environment
        return session

    @staticmethod
    def payload(message) -> dict:
        template = {"name": message.template_name, "language": {"code": message.language_code}}
        if message.parameters:
            template["components"] = [{
                "type": "body",
                "parameters": [{"type": "text", "text": value} for value in message.parameters],
            }]
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.to.lstrip("+"),
            "type": "template",
            "template": template,
        }

    def _send(self, message) -> str:
        try:
            response = self.session.post(
                self.messages_url, json=self.payload(message), timeout=self.timeout, allow_redirects=False,
                headers={"Authorization": f"Bearer {self.access_token}", "Accept": "application/json"},
            )
        except requests.RequestException as error:
            raise TransientError(f"WhatsApp could not be reached: {error}") from error
        try:
            data = response.json()
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        if response.status_code >= 300 or "error" in data:
            raise error_from_response(response.status_code, data, response.text)
        try:
            return str(data["messages"][0]["id"])[:200]
        except (KeyError, IndexError, TypeError) as error:
            raise TransientError("WhatsApp answered without a message id.") from error


def error_from_response(status: int, data: dict, text: str = ""):
    error = data.get("error") if isinstance(data.get("error"), dict) else {}
    code = error.get("code")
    details = (error.get("error_data") or {}).get("details") if isinstance(error.get("error_data"), dict) else None
    detail = details or error.get("message") or text[:200]
    words = f"WhatsApp HTTP {status}" + (f" error {code}" if code is not None else "") + (f": {detail}" if detail else "")
    if code in TRANSIENT_CODES or status == 429 or status >= 500 or status < 400:
        return TransientError(words)
    return PermanentError(words)
