"""The storefront API: thin views over orders/services.py (see api/serializers.py for the contract)."""
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from carriers.models import Carrier
from orders import services as order_services
from orders.models import CUSTOM_STATUS_TYPE_ORDER, CustomStatus, Order, OrderEvent

from . import representations
from . import serializers as s
from .idempotency import IdempotentPostMixin
from .services import create_order

ORDER_NUMBER = re.compile(r"[A-Za-z0-9-]{1,20}")

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


class OrderCursorPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = s.PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = s.MAX_PAGE_SIZE

    def get_schema_operation_parameters(self, view):
        return []  # documented, and validated, by OrderListFilter

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (NotFound, DjangoValidationError):
            raise ValidationError({self.cursor_query_param: [_("Invalid cursor.")]}, code="invalid") from None


def detail_queryset():
    return Order.objects.select_related("carrier").with_custom_statuses().prefetch_related(
        "lines",
        "payments",
        Prefetch("events", queryset=OrderEvent.objects.select_related("actor__storefront")),
    )


class StorefrontView(APIView):
    # Authentication (storefront API keys), permission and throttling per key come from
    # REST_FRAMEWORK's defaults in config/settings.py.

    @property
    def storefront(self):
        return self.request.auth.storefront

    def get_order(self, number: str, queryset=None) -> Order:
        """The storefront's order with this number; another storefront's order is just as missing."""
        queryset = detail_queryset() if queryset is None else queryset
        if ORDER_NUMBER.fullmatch(number):
            try:  # get(), not first(): the number is unique, and no ORDER BY is compiled or run
                return queryset.get(storefront=self.storefront, number=number.upper())
            except Order.DoesNotExist:
                pass
        raise NotFound(_("No order with this number."))

    def order_data(self, number: str) -> dict:
        """The detail's JSON of the storefront's order with this number (kept per order version)."""
        data = None
        if ORDER_NUMBER.fullmatch(number):
            data = representations.order_detail(detail_queryset(), storefront=self.storefront, number=number.upper())
        if data is None:
            raise NotFound(_("No order with this number."))
        return data

    def order_response(self, order: Order, status_code=status.HTTP_200_OK) -> Response:
        # Read again, with everything the output shows, as it is now.
        return Response(self.order_data(order.number), status=status_code)


class OrderListCreateView(IdempotentPostMixin, StorefrontView):
    pagination_class = OrderCursorPagination

    @extend_schema(
        operation_id="orders_list",
        summary=_("List the storefront's orders, newest first"),
        description=_(
            "Cursor-paginated: follow `next` until it is null. Filter by `status`, `payment_status` "
            "and `updated_since` (ISO 8601) to pick up only what changed since the last sync, or by "
            "`external_id` to find the order of one of the storefront's own ids."
        ),
        parameters=[s.OrderListFilter, RETRY_AFTER_HEADER],
        responses={200: s.OrderOutput(many=True), **errors(400, 401, 403, 429)},
        tags=["orders"],
    )
    def get(self, request):
        filters = s.OrderListFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        orders = (
            Order.objects.filter(storefront=self.storefront, **self._lookups(filters.validated_data))
            .select_related("carrier")
            .prefetch_related("lines")
            .with_custom_statuses()
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(orders, request, view=self)
        return paginator.get_paginated_response(s.OrderOutput(page, many=True).data)

    @staticmethod
    def _lookups(filters: dict) -> dict:
        lookups = {}
        if "external_id" in filters:
            lookups["external_id"] = filters["external_id"]
        if "status" in filters:
            lookups["status"] = filters["status"]
        if "payment_status" in filters:
            lookups["payment_status"] = filters["payment_status"]
        if "updated_since" in filters:
            lookups["updated_at__gte"] = filters["updated_since"]
        return lookups

    @extend_schema(
        operation_id="orders_create",
        summary=_("Create an order (idempotent by external_id)"),
        description=_(
            "201 with the new order. Sending an external_id again with the same body answers 200 with "
            "the existing order and creates nothing; with a different body, 409."
        ),
        request=s.OrderCreateInput,
        parameters=POST_PARAMETERS,
        responses={
            201: s.OrderDetailOutput,
            200: OpenApiResponse(s.OrderDetailOutput, description=_("The order already sent with this external_id.")),
            **errors(400, 401, 403, 409, 422, 429),
        },
        tags=["orders"],
    )
    def post(self, request):
        data = s.OrderCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        order, created = create_order(storefront=self.storefront, data=data.validated_data)
        return self.order_response(order, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class OrderDetailView(StorefrontView):
    @extend_schema(
        operation_id="orders_retrieve",
        summary=_("An order with its payments and timeline"),
        description=_("Another storefront's order answers 404, exactly like a number that does not exist."),
        parameters=[RETRY_AFTER_HEADER],
        responses={200: s.OrderDetailOutput, **errors(401, 403, 404, 429)},
        tags=["orders"],
    )
    def get(self, request, number):
        return Response(self.order_data(number))


class PaymentCreateView(IdempotentPostMixin, StorefrontView):
    @extend_schema(
        operation_id="orders_payments_create",
        summary=_("Register a payment"),
        description=_("The order becomes paid once its payments cover the total. Answers the updated order."),
        request=s.PaymentInput,
        parameters=POST_PARAMETERS,
        responses={201: s.OrderDetailOutput, **errors(400, 401, 403, 404, 409, 422, 429)},
        tags=["orders"],
    )
    def post(self, request, number):
        order = self.get_order(number, queryset=Order.objects.all())
        data = s.PaymentInput(data=request.data)
        data.is_valid(raise_exception=True)
        order_services.register_payment(order, by=request.user, **data.validated_data)
        return self.order_response(order, status.HTTP_201_CREATED)


class OrderMoveView(IdempotentPostMixin, StorefrontView):
    # Moves the order through orders/services.py; a refused move answers 409 {code, detail}.

    input_serializer = s.NotifyInput
    move = None  # the orders.services function

    def post(self, request, number):
        order = self.get_order(number, queryset=Order.objects.all())
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        self.move(order, by=request.user, **data.validated_data)
        return self.order_response(order)


def move_view(name: str, move, summary, input_serializer=s.NotifyInput):
    @extend_schema(
        operation_id=f"orders_{name}",
        summary=summary,
        description=_(
            "Answers the updated order. A move the order's state or payment does not allow answers 409 "
            "with a stable `code` (e.g. payment_required, invalid_transition) and a human `detail`."
        ),
        request=input_serializer,
        parameters=POST_PARAMETERS,
        responses={200: s.OrderDetailOutput, **errors(400, 401, 403, 404, 409, 422, 429)},
        tags=["orders"],
    )
    def post(self, request, number):
        return OrderMoveView.post(self, request, number)

    class_name = "".join(part.title() for part in name.split("_")) + "View"
    return type(class_name, (OrderMoveView,), {
        "input_serializer": input_serializer, "move": staticmethod(move), "post": post,
    })


AcceptView = move_view("accept", order_services.accept, _("Accept the order"))
PrepareView = move_view("prepare", order_services.start_preparation, _("Start preparing the order"))
ShipView = move_view("ship", order_services.ship, _("Ship with a carrier and tracking code"), s.ShipInput)
ReadyForPickupView = move_view(
    "ready_for_pickup", order_services.mark_ready_for_pickup, _("Mark the order ready for pickup")
)
FinalizeView = move_view("finalize", order_services.finalize, _("Finalize the order"))
CancelView = move_view("cancel", order_services.cancel, _("Cancel the order"), s.CancelInput)


class CustomStatusSetView(IdempotentPostMixin, StorefrontView):
    @extend_schema(
        operation_id="orders_statuses_set",
        summary=_("Set a custom status (delivery, payment or general)"),
        description=_(
            "Gives the order the status `code` of `type`, replacing its current one of that type; the order's "
            "status and payment status never change. Setting the status the order already has changes nothing. "
            "An unknown type or code answers 400; an inactive status (custom_status_inactive) or a cancelled "
            "order (order_cancelled) answers 409. Answers the updated order."
        ),
        request=s.CustomStatusInput,
        parameters=POST_PARAMETERS,
        responses={200: s.OrderDetailOutput, **errors(400, 401, 403, 404, 409, 422, 429)},
        tags=["orders"],
    )
    def post(self, request, number):
        order = self.get_order(number, queryset=Order.objects.all())
        data = s.CustomStatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        order_services.set_custom_status(
            order, by=request.user, status_type=data.validated_data["type"], code=data.validated_data["code"],
            notify_customer=data.validated_data["notify_customer"],
        )
        return self.order_response(order)


class CustomStatusListView(StorefrontView):
    @extend_schema(
        operation_id="custom_statuses_list",
        summary=_("The active custom statuses and their codes"),
        description=_("Set one on an order with POST /api/v1/orders/{number}/statuses/ and its type and code."),
        parameters=[RETRY_AFTER_HEADER],
        responses={200: s.CustomStatusOutput(many=True), **errors(401, 403, 429)},
        tags=["custom statuses"],
    )
    def get(self, request):
        statuses = sorted(
            CustomStatus.objects.filter(active=True),
            key=lambda status: (CUSTOM_STATUS_TYPE_ORDER[status.type], status.position, status.pk),
        )
        return Response(s.CustomStatusOutput(statuses, many=True).data)


class CarrierListView(StorefrontView):
    @extend_schema(
        operation_id="carriers_list",
        summary=_("The active carriers and their tracking-code formats"),
        description=_("Ship orders with one of these codes and a tracking code that matches its format."),
        parameters=[RETRY_AFTER_HEADER],
        responses={200: s.CarrierOutput(many=True), **errors(401, 403, 429)},
        tags=["carriers"],
    )
    def get(self, request):
        return Response(s.CarrierOutput(Carrier.objects.active(), many=True).data)


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
