from rest_framework.permissions import BasePermission

from storefronts.models import StorefrontAPIKey


class IsStorefront(BasePermission):
    """The request carries a valid storefront API key (see StorefrontAPIKeyAuthentication)."""

    def has_permission(self, request, view):
        return isinstance(request.auth, StorefrontAPIKey)
