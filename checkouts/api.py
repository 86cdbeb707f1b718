"""The storefront API for checkouts: thin views over checkouts/services.py."""
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from api import serializers as api_serializers
from api.exceptions import Conflict
from api.idempotency import IdempotentPostMixin
from api.services import nest_errors
from api.views import POST_PARAMETERS, RETRY_AFTER_HEADER, StorefrontView, errors

from . import serializers as s
from . import services
from .models import Checkout

CHECKOUT_ID = re.compile(s.CHECKOUT_ID_PATTERN[1:-1])

# Where each field of services.report_checkout lives in the request body.
FIELD_PATHS = {
    "customer_name": ("customer", "name"),
    "customer_email": ("customer", "email"),
    "customer_phone": ("customer", "phone"),
    "language": ("customer", "language"),
    "external_id": ("checkout_id",),
    "created_at": ("started_at",),
    "__all__": ("non_field_errors",),
}

CHECKOUT_ID_PARAMETER = OpenApiParameter(
    "checkout_id", {"type": "string", "pattern": s.CHECKOUT_ID_PATTERN, "minLength": 1, "maxLength": 100},
    OpenApiParameter.PATH, description=_("The storefront's own checkout id, as reported."),
)
NOT_FOUND = OpenApiResponse(api_serializers.ErrorOutput, description=_("No such checkout for this storefront."))


class CheckoutClosedError(Conflict):
    default_detail = _("This checkout is already recovered or expired; it is not reopened.")
    default_code = "checkout_closed"


class CheckoutView(StorefrontView):
    def checkout_response(self, checkout: Checkout, status_code=status.HTTP_200_OK) -> Response:
        return Response(s.CheckoutOutput(checkout).data, status=status_code)

    def get_checkout(self, checkout_id: str) -> Checkout:
        """The storefront's checkout; another storefront's is just as missing."""
        checkout = None
        if CHECKOUT_ID.fullmatch(checkout_id):
            checkout = (
                Checkout.objects.select_related("order")
                .filter(storefront=self.storefront, external_id=checkout_id)
                .first()
            )
        if checkout is None:
            raise NotFound(_("No checkout with this id."))
        return checkout


class CheckoutReportView(IdempotentPostMixin, CheckoutView):
    @extend_schema(
        operation_id="checkouts_report",
        summary=_("Report a started checkout, or update it (idempotent by checkout_id)"),
        description=_(
            "201 with the new checkout, 200 when this checkout_id was already reported: its contact, lines, "
            "total and resume link are replaced and its last activity moves forward. If the customer stays idle "
            "for the store's delay (2 hours by default), one recovery message with resume_url goes out; an order "
            "created with this `checkout_id` marks the checkout recovered, before or after this report. "
            "A checkout already recovered or expired is not reopened: 409 with code checkout_recovered or "
            "checkout_expired."
        ),
        request=s.CheckoutInput,
        parameters=POST_PARAMETERS,
        responses={
            201: s.CheckoutOutput,
            200: OpenApiResponse(s.CheckoutOutput, description=_("The checkout was already reported; updated.")),
            409: OpenApiResponse(
                api_serializers.ErrorOutput,
                description=_("The checkout is already recovered or expired (code checkout_recovered or "
                              "checkout_expired), or the same Idempotency-Key is still being processed."),
            ),
            **errors(400, 401, 403, 422, 429),
        },
        tags=["checkouts"],
    )
    def post(self, request):
        data = s.CheckoutInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        customer = values.get("customer") or {}
        try:
            checkout, created = services.report_checkout(
                storefront=self.storefront,
                external_id=values["checkout_id"],
                customer_name=customer.get("name", ""),
                customer_email=customer.get("email", ""),
                customer_phone=customer["phone"].as_e164 if customer.get("phone") else "",
                language=customer.get("language", "es"),
                currency=values["currency"],
                lines=[dict(line) for line in values["lines"]],
                total=values.get("total"),
                resume_url=values["resume_url"],
                started_at=values.get("started_at"),
                last_activity_at=values.get("last_activity_at"),
            )
        except services.CheckoutClosed as error:
            raise CheckoutClosedError(detail=str(error), code=error.code) from error
        except DjangoValidationError as error:
            raise ValidationError(nest_errors(error, FIELD_PATHS)) from error
        checkout = self.get_checkout(checkout.external_id)  # fresh, with the order it shows
        return self.checkout_response(checkout, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class CheckoutDetailView(CheckoutView):
    @extend_schema(
        operation_id="checkouts_retrieve",
        summary=_("A reported checkout with its status"),
        description=_("Another storefront's checkout answers 404, exactly like an id that was never reported."),
        parameters=[CHECKOUT_ID_PARAMETER, RETRY_AFTER_HEADER],
        responses={200: s.CheckoutOutput, 401: errors(401)[401], 403: errors(403)[403], 404: NOT_FOUND,
                   429: errors(429)[429]},
        tags=["checkouts"],
    )
    def get(self, request, checkout_id):
        return self.checkout_response(self.get_checkout(checkout_id))
