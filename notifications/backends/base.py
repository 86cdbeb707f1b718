"""The contract every SMS, web push and WhatsApp backend follows (modelled on django.core.mail.backends)."""
from __future__ import annotations

import sys
import threading
import uuid
from dataclasses import dataclass, field


class BackendError(Exception):
    """A provider did not take the message."""


class TransientError(BackendError):
    """Worth retrying later: timeouts, connection errors, HTTP 5xx and 429."""


class PermanentError(BackendError):
    """Retrying will not help: an invalid number, a refused message, other HTTP 4xx."""


class SubscriptionGone(PermanentError):
    """The push service says the browser subscription no longer exists (HTTP 404 or 410)."""

    def __init__(self, message, endpoint: str = ""):
        super().__init__(message)
        self.endpoint = endpoint


@dataclass
class SmsMessage:
    to: str  # E.164, e.g. +5491155550000
    body: str
    from_number: str = ""
    # Filled in by the backend once the provider took the message.
    provider_message_id: str = ""


@dataclass
class PushMessage:
    # {"endpoint": ..., "keys": {"p256dh": ..., "auth": ...}}, as the browser's PushSubscription.toJSON()
    subscription_info: dict
    payload: dict = field(default_factory=dict)  # {"title", "body", "url"}; sent as JSON
    ttl: int = 24 * 60 * 60
    provider_message_id: str = ""

    @property
    def endpoint(self) -> str:
        return self.subscription_info.get("endpoint", "")


@dataclass
class WhatsAppMessage:
    """A Meta-approved template message: its name, Meta's language code and the body's parameters
    in order ({{1}}, {{2}}...). `body` is the text as the customer reads it (for the log and the
    console backend); the provider builds it from the template itself."""

    to: str  # E.164, e.g. +5491155550000
    template_name: str
    language_code: str
    parameters: list[str] = field(default_factory=list)
    body: str = ""
    provider_message_id: str = ""


class _BaseBackend:
    def __init__(self, fail_silently: bool = False, **kwargs):
        self.fail_silently = fail_silently

    def open(self):
        """Open a connection to the provider if it needs one; return True if a new one was opened."""
        return False

    def close(self):
        """Close the connection opened by open()."""

    def __enter__(self):
        try:
            self.open()
        except Exception:
            self.close()
            raise
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()

    def send_messages(self, messages) -> int:
        """Send the messages and return how many were sent.

        Raise TransientError or PermanentError when the provider refuses one (unless
        fail_silently, then skip it). Set each sent message's `provider_message_id`. A provider's
        backend implements `_send(message)` (returning the provider's id); a backend that keeps
        messages elsewhere (console, locmem) overrides this method.
        """
        opened = self.open()
        sent = 0
        try:
            for message in messages:
                try:
                    message.provider_message_id = self._send(message)
                except (TransientError, PermanentError):
                    if not self.fail_silently:
                        raise
                else:
                    sent += 1
        finally:
            if opened:
                self.close()
        return sent

    def _send(self, message) -> str:
        """Hand one message to the provider; return the provider's id for it."""
        raise NotImplementedError("subclasses of this backend must override _send() or send_messages()")


class HttpSessionMixin:
    """A provider backend that keeps one `requests` session open between open() and close()."""

    session = None

    def new_session(self):
        raise NotImplementedError

    def open(self):
        if self.session is not None:
            return False
        self.session = self.new_session()
        return True

    def close(self):
        if self.session is not None:
            self.session.close()
            self.session = None


class ConsoleMixin:
    """Prints each message to a stream (standard output by default): the development backends. A
    backend says how it prints one message (`printed()`); each gets a made-up provider id."""

    id_prefix = "console-"

    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def printed(self, message) -> str:
        raise NotImplementedError

    def send_messages(self, messages) -> int:
        with self._lock:
            for message in messages:
                message.provider_message_id = f"{self.id_prefix}{uuid.uuid4().hex[:12]}"
                self.stream.write(self.printed(message))
                self.stream.write("-" * 79 + "\n")
            self.stream.flush()
        return len(messages)


class BaseSmsBackend(_BaseBackend):
    """Base class of SMS backends; subclasses send `SmsMessage`s."""


class BasePushBackend(_BaseBackend):
    """Base class of web push backends; subclasses send `PushMessage`s."""


class BaseWhatsAppBackend(_BaseBackend):
    """Base class of WhatsApp backends; subclasses send `WhatsAppMessage`s."""
