"""The storefront API for orders: thin views over orders/services/.

What a storefront sends is orders/api_serializers.py; the order it reads back is
orders/representation.py (the same JSON the webhooks carry), kept per order version by
orders/api_cache.py. Authentication, throttling, idempotency and the error shape come from the
API toolkit (api/); the routes are orders/api_urls.py.
"""
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from api.exceptions import translates
from api.idempotency import IdempotentPostMixin
from api.views import POST_PARAMETERS, RETRY_AFTER_HEADER, StorefrontView, errors
from carriers.models import Carrier

from . import api_cache
from . import api_serializers as s
from . import payment_links, representation
from . import services as order_services
from .api_services import create_order
from .models import CUSTOM_STATUS_TYPE_ORDER, CustomStatus, Order, OrderEvent

ORDER_NUMBER = re.compile(r"[A-Za-z0-9-]{1,20}")


@translates(order_services.TransitionNotAllowed)
def refused_move(refused):
    """A move the order's state or payment does not allow: 409 with its stable code."""
    return Response({"code": refused.code, "detail": str(refused)}, status=status.HTTP_409_CONFLICT)


@translates(order_services.CustomStatusNotFound)
def unknown_custom_status(unknown):
    """An unknown custom status type or code: 400 on the field at fault."""
    return ValidationError(detail={unknown.field: [str(unknown)]}, code=unknown.code)


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
        "refunds",
        Prefetch("events", queryset=OrderEvent.objects.select_related("actor__storefront")),
    )


class OrderView(StorefrontView):
    """An endpoint about one of the storefront's orders."""

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
            data = api_cache.order_detail(detail_queryset(), storefront=self.storefront, number=number.upper())
        if data is None:
            raise NotFound(_("No order with this number."))
        return data

    def order_response(self, order: Order, status_code=status.HTTP_200_OK) -> Response:
        # Read again, with everything the output shows, as it is now.
        return Response(self.order_data(order.number), status=status_code)


class OrderListCreateView(IdempotentPostMixin, OrderView):
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
        responses={200: representation.OrderOutput(many=True), **errors(400, 401, 403, 429)},
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
        orders = payment_links.prefetch(orders)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(orders, request, view=self)
        return paginator.get_paginated_response(representation.OrderOutput(page, many=True).data)

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
            201: representation.OrderDetailOutput,
            200: OpenApiResponse(representation.OrderDetailOutput, description=_("The order already sent with this external_id.")),
            **errors(400, 401, 403, 409, 422, 429),
        },
        tags=["orders"],
    )
    def post(self, request):
        data = s.OrderCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        order, created = create_order(storefront=self.storefront, data=data.validated_data)
        return self.order_response(order, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class OrderDetailView(OrderView):
    @extend_schema(
        operation_id="orders_retrieve",
        summary=_("An order with its payments and timeline"),
        description=_("Another storefront's order answers 404, exactly like a number that does not exist."),
        parameters=[RETRY_AFTER_HEADER],
        responses={200: representation.OrderDetailOutput, **errors(401, 403, 404, 429)},
        tags=["orders"],
    )
    def get(self, request, number):
        return Response(self.order_data(number))


class PaymentCreateView(IdempotentPostMixin, OrderView):
    @extend_schema(
        operation_id="orders_payments_create",
        summary=_("Register a payment"),
        description=_("The order becomes paid once its payments cover the total. Answers the updated order."),
        request=s.PaymentInput,
        parameters=POST_PARAMETERS,
        responses={201: representation.OrderDetailOutput, **errors(400, 401, 403, 404, 409, 422, 429)},
        tags=["orders"],
    )
    def post(self, request, number):
        order = self.get_order(number, queryset=Order.objects.all())
        data = s.PaymentInput(data=request.data)
        data.is_valid(raise_exception=True)
        order_services.register_payment(order, by=request.user, **data.validated_data)
        return self.order_response(order, status.HTTP_201_CREATED)


class RefundCreateView(IdempotentPostMixin, OrderView):
    @extend_schema(
        operation_id="orders_refunds_create",
        summary=_("Register a refund"),
        description=_(
            "Money given back on a paid order (typically a cancelled one): the payment status becomes "
            "partially_refunded, or refunded once everything paid was given back. More than was paid and not "
            "refunded yet answers 409 refund_exceeds_paid; an order that is not paid, 409 not_paid; one refunded "
            "in full, 409 already_refunded. Answers the updated order."
        ),
        request=s.RefundInput,
        parameters=POST_PARAMETERS,
        responses={201: representation.OrderDetailOutput, **errors(400, 401, 403, 404, 409, 422, 429)},
        tags=["orders"],
    )
    def post(self, request, number):
        order = self.get_order(number, queryset=Order.objects.all())
        data = s.RefundInput(data=request.data)
        data.is_valid(raise_exception=True)
        order_services.register_refund(order, by=request.user, **data.validated_data)
        return self.order_response(order, status.HTTP_201_CREATED)


class OrderMoveView(IdempotentPostMixin, OrderView):
    """Moves the order through orders/services/; a refused move answers 409 {code, detail}.

    Each move is a subclass below naming its service function (`move`), its input and its schema.
    """

    input_serializer = s.NotifyInput
    move = None  # the orders.services function, as a staticmethod

    def post(self, request, number):
        order = self.get_order(number, queryset=Order.objects.all())
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        self.move(order, by=request.user, **data.validated_data)
        return self.order_response(order)


def move_schema(name: str, summary, input_serializer=s.NotifyInput):
    """The OpenAPI description of the move `name` (operation id orders_<name>)."""
    return extend_schema(
        operation_id=f"orders_{name}",
        summary=summary,
        description=_(
            "Answers the updated order. A move the order's state or payment does not allow answers 409 "
            "with a stable `code` (e.g. payment_required, invalid_transition) and a human `detail`."
        ),
        request=input_serializer,
        parameters=POST_PARAMETERS,
        responses={200: representation.OrderDetailOutput, **errors(400, 401, 403, 404, 409, 422, 429)},
        tags=["orders"],
    )


@extend_schema_view(post=move_schema("accept", _("Accept the order")))
class AcceptView(OrderMoveView):
    move = staticmethod(order_services.accept)


@extend_schema_view(post=move_schema("prepare", _("Start preparing the order")))
class PrepareView(OrderMoveView):
    move = staticmethod(order_services.start_preparation)


@extend_schema_view(post=move_schema("ship", _("Ship with a carrier and tracking code"), s.ShipInput))
class ShipView(OrderMoveView):
    input_serializer = s.ShipInput
    move = staticmethod(order_services.ship)


@extend_schema_view(post=move_schema("ready_for_pickup", _("Mark the order ready for pickup")))
class ReadyForPickupView(OrderMoveView):
    move = staticmethod(order_services.mark_ready_for_pickup)


@extend_schema_view(post=move_schema("finalize", _("Finalize the order")))
class FinalizeView(OrderMoveView):
    move = staticmethod(order_services.finalize)


@extend_schema_view(post=move_schema("cancel", _("Cancel the order"), s.CancelInput))
class CancelView(OrderMoveView):
    input_serializer = s.CancelInput
    move = staticmethod(order_services.cancel)


class CustomStatusSetView(IdempotentPostMixin, OrderView):
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
        responses={200: representation.OrderDetailOutput, **errors(400, 401, 403, 404, 409, 422, 429)},
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


