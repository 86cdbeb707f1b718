"""Twilio's Programmable Messaging API over HTTPS (form-encoded POST, HTTP basic auth).

Settings: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER (an E.164 number or a
Messaging Service SID starting with "MG"), TWILIO_API_BASE (the API's base address),
TWILIO_STATUS_CALLBACKS (ask Twilio to post each message's delivery reports to
SITE_URL + /hooks/twilio/status/, which `signature()` checks: notifications/hooks.py).
"""
import base64
import hashlib
import hmac
import json
import socket
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from ..base import BaseSmsBackend, PermanentError, TransientError

TIMEOUT_SECONDS = 10


class SmsBackend(BaseSmsBackend):
    def __init__(self, *args, account_sid=None, auth_token=None, from_number=None, api_base=None,
                 timeout=TIMEOUT_SECONDS, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_sid = account_sid or settings.TWILIO_ACCOUNT_SID
        self.auth_token = auth_token or settings.TWILIO_AUTH_TOKEN
        self.from_number = from_number or settings.TWILIO_FROM_NUMBER
        self.api_base = (api_base or settings.TWILIO_API_BASE).rstrip("/")
        self.timeout = timeout
        if not (self.account_sid and self.auth_token and self.from_number):
            raise ImproperlyConfigured(
                "The Twilio SMS backend needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER."
            )

    @property
    def messages_url(self) -> str:
        sid = urllib.parse.quote(self.account_sid, safe="")
        return f"{self.api_base}/2010-04-01/Accounts/{sid}/Messages.json"

    def _send(self, message) -> str:
        sender = message.from_number or self.from_number
        fields = {"To": message.to, "Body": message.body}
        fields["MessagingServiceSid" if sender.startswith("MG") else "From"] = sender
        if settings.TWILIO_STATUS_CALLBACKS:
            fields["StatusCallback"] = status_callback_url()
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode("ascii")
        request = urllib.request.Request(
            self.messages_url,
            data=urllib.parse.urlencode(fields).encode("utf-8"),
            method="POST",
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            raise self._error_from_response(error.code, error.read()) from error
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            raise TransientError(f"Twilio could not be reached: {reason}") from error
        try:
            return str(json.loads(body)["sid"])
        except (ValueError, KeyError, TypeError) as error:
            raise TransientError("Twilio answered without a message sid.") from error

    @staticmethod
    def _error_from_response(status: int, raw: bytes):
        try:
            data = json.loads(raw)
        except ValueError:
            data = {}
        code = data.get("code") if isinstance(data, dict) else None
        detail = (data.get("message") if isinstance(data, dict) else None) or raw[:200].decode("utf-8", "replace")
        text = f"Twilio HTTP {status}" + (f" error {code}" if code else "") + (f": {detail}" if detail else "")
        if status == 429 or status >= 500:
            return TransientError(text)
        return PermanentError(text)


def status_callback_url() -> str:
    """Where Twilio posts a message's delivery reports: the address to paste in Twilio's console too."""
    return settings.SITE_URL + reverse("twilio_status")


def signature(url: str, params, auth_token: str) -> str:
    """Twilio's X-Twilio-Signature of a request: HMAC-SHA1, keyed with the auth token, of the full URL
    followed by each POST parameter's name and value, sorted by name (a name's several values sorted
    too), base64-encoded. `params` is a dict or a QueryDict."""
    data = url
    for name in sorted(set(params)):
        values = params.getlist(name) if hasattr(params, "getlist") else [params[name]]
        for value in sorted(set(values)):
            data += name + value
    digest = hmac.new(auth_token.encode("utf-8"), data.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def _urls_with_and_without_port(url: str) -> list[str]:
    """The URL as given, without its port and with the scheme's default port added: Twilio signs the
    address as it was configured, which a proxy may have written either way."""
    parts = urllib.parse.urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    host = parts.hostname or ""
    urls = [url, urllib.parse.urlunsplit(parts._replace(netloc=host))]
    if default and parts.port is None:
        urls.append(urllib.parse.urlunsplit(parts._replace(netloc=f"{host}:{default}")))
    return list(dict.fromkeys(urls))


def valid_signature(url: str, params, given: str, auth_token: str) -> bool:
    """Whether `given` (the X-Twilio-Signature header) signs the request, compared in constant time
    (as bytes: a header with characters outside ASCII is simply wrong)."""
    if not (given and auth_token):
        return False
    given_bytes = given.encode("utf-8", "replace")
    return any(
        hmac.compare_digest(signature(candidate, params, auth_token).encode("ascii"), given_bytes)
        for candidate in _urls_with_and_without_port(url)
    )
