"""The storefront API for stock: set a SKU's on-hand quantity, and read it back.

Stock belongs to the store, so every storefront of the store sees and sets the same SKUs.
Thin views over inventory/services.py; authentication, permission and throttling per key
come from REST_FRAMEWORK's defaults, like the orders endpoints.
"""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as api_serializers
from api.views import RETRY_AFTER_HEADER, errors

from . import services
from .models import MAX_QUANTITY, SKU_MAX_LENGTH, StockItem, StockMovement

SKU_PARAMETER = OpenApiParameter(
    "sku", {"type": "string", "minLength": 1, "maxLength": SKU_MAX_LENGTH}, OpenApiParameter.PATH,
    description=_("The product's SKU, as the order lines carry it (case-sensitive; surrounding spaces are ignored)."),
)
NOT_FOUND = OpenApiResponse(api_serializers.ErrorOutput, description=_("No product with this SKU."))


class StockInput(api_serializers.StrictInputSerializer):
    quantity = api_serializers.IntegerField(
        min_value=0, max_value=MAX_QUANTITY,
        help_text=_("Units on hand now. The difference with what we had is recorded as a stock movement."),
    )
    name = api_serializers.CharField(
        max_length=255, required=False, allow_blank=True, help_text=_("The product's name; unchanged if absent."),
    )
    low_stock_threshold = api_serializers.IntegerField(
        min_value=0, max_value=MAX_QUANTITY, required=False,
        help_text=_("Staff are emailed when the quantity falls to this number or below; unchanged if absent "
                    "(new SKUs get the store's default)."),
    )
    track_stock = api_serializers.BooleanField(
        required=False,
        help_text=_("Whether orders take units of this SKU (default true for new SKUs); unchanged if absent."),
    )


class StockOutput(serializers.Serializer):
    sku = serializers.CharField()
    name = serializers.CharField()
    quantity = serializers.IntegerField(
        help_text=_("Units on hand. Below zero: units sold without stock, owed to customers."),
    )
    track_stock = serializers.BooleanField()
    low_stock_threshold = serializers.IntegerField()
    low_stock = serializers.BooleanField(
        source="is_low", help_text=_("Tracked and at or below its low-stock threshold."),
    )
    updated_at = serializers.DateTimeField()


def clean_sku(value: str) -> str:
    try:
        return services.clean_sku(value)
    except DjangoValidationError as error:
        raise ValidationError({"sku": error.messages}, code="invalid") from None


class StockItemView(APIView):
    @extend_schema(
        operation_id="stock_retrieve",
        summary=_("A SKU's stock"),
        description=_("The quantity on hand (below zero when orders took more than there was) and its settings."),
        parameters=[SKU_PARAMETER, RETRY_AFTER_HEADER],
        responses={200: StockOutput, 404: NOT_FOUND, **errors(401, 403, 429)},
        tags=["stock"],
    )
    def get(self, request, sku):
        item = None
        try:
            item = StockItem.objects.filter(sku=services.clean_sku(sku)).first()
        except DjangoValidationError:
            pass
        if item is None:
            raise NotFound(_("No product with this SKU."))
        return Response(StockOutput(item).data)

    @extend_schema(
        operation_id="stock_set",
        summary=_("Set a SKU's on-hand quantity (creating the SKU if needed)"),
        description=_(
            "201 when the SKU is new, 200 when it existed. The quantity replaces what we had and the "
            "difference is recorded as a stock movement; sending the same body again changes nothing. "
            "Orders then take units of tracked SKUs and cancellations give them back."
        ),
        parameters=[SKU_PARAMETER, RETRY_AFTER_HEADER],
        request=StockInput,
        responses={
            200: StockOutput,
            201: OpenApiResponse(StockOutput, description=_("The SKU was created.")),
            404: OpenApiResponse(
                api_serializers.ErrorOutput,
                description=_("The address has no SKU (a SKU with a slash cannot be set here: import it by CSV)."),
            ),
            **errors(400, 401, 403, 429),
        },
        tags=["stock"],
    )
    def put(self, request, sku):
        sku = clean_sku(sku)
        data = StockInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        [result] = services.set_stock(
            [services.StockRow(
                sku=sku, quantity=values["quantity"], name=values.get("name"),
                low_stock_threshold=values.get("low_stock_threshold"), track_stock=values.get("track_stock"),
            )],
            by=request.user, reason=StockMovement.Reason.API_SET,
        )
        return Response(
            StockOutput(result.item).data, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )
