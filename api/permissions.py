from rest_framework.permissions import BasePermission

from .authentication import key_model


class IsStorefront(BasePermission):
    """The request carries a valid storefront API key (see StorefrontAPIKeyAuthentication)."""

    def has_permission(self, request, view):
        return isinstance(request.auth, key_model())
