"""Web push (RFC 8030, payload encrypted with aes128gcm) through pywebpush, signed with VAPID.

Settings: VAPID_PRIVATE_KEY (base64url, as printed by `manage.py generate_vapid_keys`),
VAPID_SUBJECT (mailto: or https: address the push services can contact).
"""
import json

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pywebpush import WebPushException, webpush

import safehttp

from ..base import BasePushBackend, HttpSessionMixin, PermanentError, SubscriptionGone, TransientError
from .endpoints import endpoint_refusal, session

TIMEOUT_SECONDS = 10


class PushBackend(HttpSessionMixin, BasePushBackend):
    def __init__(self, *args, private_key=None, subject=None, timeout=TIMEOUT_SECONDS, **kwargs):
        super().__init__(*args, **kwargs)
        self.private_key = private_key or settings.VAPID_PRIVATE_KEY
        self.subject = subject or settings.VAPID_SUBJECT
        self.timeout = timeout
        if not self.private_key:
            raise ImproperlyConfigured(
                "Web push needs VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY: run `manage.py generate_vapid_keys`."
            )

    def new_session(self):
        return session()

    def _send(self, message) -> str:
        refused = endpoint_refusal(message.endpoint)
        if refused is not None:
            raise PermanentError(f"Push endpoint not allowed: {refused}")
        try:
            response = webpush(
                subscription_info=message.subscription_info,
                data=json.dumps(message.payload, ensure_ascii=False),
                vapid_private_key=self.private_key,
                # pywebpush writes "aud" and "exp" into the dict it gets: a fresh one every call.
                vapid_claims={"sub": self.subject},
                ttl=message.ttl,
                timeout=self.timeout,
                requests_session=self.session,
            )
        except WebPushException as error:
            status = error.status_code
            text = f"Push service HTTP {status}: {error.message}" if status else str(error.message)
            if status in (404, 410):
                raise SubscriptionGone(text, endpoint=message.endpoint) from error
            if status is None or status == 429 or status >= 500:
                raise TransientError(text) from error
            raise PermanentError(text) from error
        except safehttp.Refused as error:
            raise PermanentError(f"Push endpoint not allowed: {error}") from error
        except requests.RequestException as error:
            raise TransientError(f"Push service could not be reached: {error}") from error
        except (ValueError, TypeError) as error:
            # Keys that do not decode: the browser's subscription is unusable.
            raise PermanentError(f"Invalid push subscription: {error}") from error
        return response.headers.get("Location", "")[:200]
