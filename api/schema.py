"""drf-spectacular: how the schema describes storefront API keys and the strict text fields."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension


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


class StrictTextFieldSchema(OpenApiSerializerFieldExtension):
    """Strict text fields (api.fields.CharField) document the characters they refuse as a pattern."""

    target_class = "api.fields.CharField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        from .fields import MULTILINE_TEXT_PATTERN, TEXT_PATTERN

        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if schema.get("type") == "string" and "pattern" not in schema and "enum" not in schema:
            schema["pattern"] = MULTILINE_TEXT_PATTERN if self.target.multiline else TEXT_PATTERN
        return schema
