"""drf-spectacular: how the schema describes storefront API keys."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class StorefrontAPIKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.StorefrontAPIKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Send "Api-Key <key>". Each storefront has its own keys (admin or `create_storefront`).',
        }
