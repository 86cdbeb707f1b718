from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from config.proxies import client_address

from .authentication import key_model


class APIKeyRateThrottle(SimpleRateThrottle):
    """Limits each API key to settings.API_THROTTLE_RATE (e.g. "600/min").

    Over the limit the API answers 429 with a `Retry-After` header (seconds). Counts live in
    the default cache: give the web processes a shared cache (CACHE_URL) in production.
    """

    scope = "api_key"

    def get_rate(self):
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, key_model()):
            return None  # requests without a key are refused before they cost anything
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}

    def get_ident(self, request):
        # Not part of the key's bucket; kept to the address every other limit uses (TRUSTED_PROXY_COUNT)
        # for any throttle built on this one that keys on the client.
        return client_address(request) or ""
