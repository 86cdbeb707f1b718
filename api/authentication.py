"""Storefronts authenticate with `Authorization: Api-Key <key>`.

The request then acts as the storefront's service user (`request.user`, the `by` of every
service call) and carries the key itself (`request.auth`), which throttling counts by.

The key model is named by the API_KEY_MODEL setting ("storefronts.StorefrontAPIKey"), so the
toolkit imports no app: a djangorestframework-api-key model (`prefix`, `is_valid`, `has_expired`,
`objects.get_usable_keys()`) with a `storefront` whose `user` is the storefront's service user.
"""
from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework_api_key.permissions import KeyParser


def key_model():
    """The model of the storefronts' API keys (settings.API_KEY_MODEL)."""
    return apps.get_model(settings.API_KEY_MODEL, require_ready=True)


class StorefrontAPIKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Api-Key"
    key_parser = KeyParser()

    def authenticate(self, request):
        key = self.key_parser.get(request)
        if key is None:
            return None  # no Api-Key header: not authenticated (401 where a key is needed)
        key = key.strip()
        if not key or len(key) > 100 or "\x00" in key:
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        prefix = key.partition(".")[0]
        StorefrontAPIKey = key_model()
        try:  # get(), not first(): the prefix is unique, and no ORDER BY is compiled or run
            api_key = StorefrontAPIKey.objects.get_usable_keys().select_related("storefront__user").get(prefix=prefix)
        except StorefrontAPIKey.DoesNotExist:
            api_key = None
        if api_key is None or not api_key.is_valid(key):
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API key."))
        if api_key.has_expired:
            raise exceptions.AuthenticationFailed(_("This API key has expired."))
        user = api_key.storefront.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("This storefront is disabled."))
        return user, api_key

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to a request without a valid key.
        return self.keyword
