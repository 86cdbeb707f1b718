"""The toolkit's view pieces: the base view of every app's storefront endpoints, the documented
headers and error responses, and the routes that belong to no app (the schema, its docs and the
JSON 404 for any other address under /api/v1/)."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from . import serializers as s

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
    OpenApiParameter.HEADER, required=False,
    description=_(
        "A unique key of 1 to 255 visible ASCII characters (a UUID is ideal). Retrying with the same key and body "
        "replays the first response for 24 hours instead of acting twice."
    ),
)

RETRY_AFTER_HEADER = OpenApiParameter(
    "Retry-After", int, OpenApiParameter.HEADER, response=[429],
    description=_("Seconds to wait before the next request."),
)
REPLAYED_HEADER = OpenApiParameter(
    "Idempotent-Replayed", {"type": "string", "enum": ["true"]}, OpenApiParameter.HEADER, response=True,
    description=_("Present when the response is the stored answer to an earlier request with the same Idempotency-Key."),
)
POST_PARAMETERS = [IDEMPOTENCY_HEADER, REPLAYED_HEADER, RETRY_AFTER_HEADER]


def errors(*codes: int) -> dict:
    """The documented error responses of an operation."""
    described = {
        400: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description=_('Invalid input: a list of messages per field, nested like the request, e.g. '
                          '{"customer": {"phone": ["Enter a valid phone number."]}}.'),
        ),
        401: OpenApiResponse(s.ErrorOutput, description=_("Missing, invalid or revoked API key.")),
        403: OpenApiResponse(s.ErrorOutput, description=_("The key may not do this.")),
        404: OpenApiResponse(s.ErrorOutput, description=_("No such order for this storefront.")),
        409: OpenApiResponse(s.ErrorOutput, description=_("The move or request conflicts with the order's state.")),
        422: OpenApiResponse(s.ErrorOutput, description=_("The Idempotency-Key was used with a different request.")),
        429: OpenApiResponse(s.ErrorOutput, description=_("Too many requests: wait the seconds in Retry-After.")),
    }
    return {code: described[code] for code in codes}


class StorefrontView(APIView):
    # Authentication (storefront API keys), permission and throttling per key come from
    # REST_FRAMEWORK's defaults in config/settings/base.py.

    @property
    def storefront(self):
        return self.request.auth.storefront


class SchemaView(SpectacularAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []


class DocsView(SpectacularSwaggerView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def not_found(request, *args, **kwargs):
    raise NotFound()
