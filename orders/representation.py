"""The order as JSON: what the storefront API answers and what every webhook carries.

`OrderOutput` is an order as the API's list shows it and as `data.order` of a webhook event;
`OrderDetailOutput` adds its payments, refunds and timeline (GET /api/v1/orders/{number}/). One
definition for both, so a storefront reads the same fields, in the same formats, wherever the
order reaches it. Amounts are strings with two decimals (`api.serializers.MoneyField`).
"""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers import MoneyField

from . import payment_links
from .models import (
    CUSTOM_STATUS_TYPE_ORDER,
    CustomStatusType,
    FulfillmentMethod,
    Language,
    OrderEvent,
    PaymentMethod,
    PaymentStatus,
    Status,
)


class CustomerOutput(serializers.Serializer):
    name = serializers.CharField(source="customer_name")
    email = serializers.CharField(source="customer_email")
    phone = serializers.SerializerMethodField(help_text=_("E.164, or an empty string."))
    language = serializers.ChoiceField(choices=Language.choices)

    def get_phone(self, order) -> str:
        return order.customer_phone.as_e164 if order.customer_phone else ""


class OrderCustomerOutput(CustomerOutput):
    whatsapp_opt_in = serializers.BooleanField(help_text=_("The customer opted in to order updates on WhatsApp."))


class FulfillmentOutput(serializers.Serializer):
    method = serializers.ChoiceField(source="fulfillment_method", choices=FulfillmentMethod.choices)
    address = serializers.CharField()
    city = serializers.CharField()
    pickup_point = serializers.CharField()


class TrackingOutput(serializers.Serializer):
    carrier = serializers.SerializerMethodField(help_text=_("The carrier's code, once shipped."))
    code = serializers.SerializerMethodField(help_text=_("The tracking code, once shipped."))
    url = serializers.SerializerMethodField(help_text=_("The carrier's own tracking page, once shipped."))

    def get_carrier(self, order) -> str | None:
        return order.carrier.code if order.carrier_id else None

    def get_code(self, order) -> str | None:
        return order.tracking_code or None

    def get_url(self, order) -> str | None:
        return order.tracking_url or None


class LineOutput(serializers.Serializer):
    sku = serializers.CharField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = MoneyField()
    line_total = MoneyField()


class PaymentOutput(serializers.Serializer):
    amount = MoneyField()
    reference = serializers.CharField()
    created_at = serializers.DateTimeField()


class RefundOutput(serializers.Serializer):
    amount = MoneyField()
    reference = serializers.CharField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class PaymentLinkOutput(serializers.Serializer):
    url = serializers.CharField(
        allow_null=True, help_text=_("The payment provider's checkout page; null until the link is made."),
    )
    status = serializers.ChoiceField(
        source="state", choices=["creating", "active", "expired", "failed"],
        help_text=_("creating (being made), active (can be paid), expired or failed (staff make a new one)."),
    )
    expires_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, link):
        data = super().to_representation(link)
        data["url"] = data["url"] or None
        return data


# The custom status types, in the order the output lists them.
CUSTOM_STATUS_TYPES = [status_type.value for status_type in CUSTOM_STATUS_TYPE_ORDER]


@extend_schema_field({
    "type": "object",
    "properties": {
        status_type: {
            "type": "object", "nullable": True,
            "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            "required": ["code", "name"],
        }
        for status_type in CUSTOM_STATUS_TYPES
    },
    "required": CUSTOM_STATUS_TYPES,
    "description": "The order's current custom status of each type (delivery, payment, general), or null; "
                   "the name is in the request's language.",
    "example": {"delivery": {"code": "out_for_delivery", "name": "Out for delivery"}, "payment": None,
                "general": None},
})
class CustomStatusesField(serializers.Field):
    """{"delivery": {"code", "name"} or null, "payment": ..., "general": ...}, from the prefetched rows."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, order):
        current = order.current_custom_statuses
        return {
            status_type: {"code": current[status_type].code, "name": current[status_type].label}
            if status_type in current else None
            for status_type in CUSTOM_STATUS_TYPES
        }


class EventOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OrderEvent.Kind.choices)
    from_status = serializers.ChoiceField(choices=Status.choices, allow_null=True)
    to_status = serializers.ChoiceField(choices=Status.choices, allow_null=True)
    actor = serializers.CharField(source="actor_label", help_text=_("Who did it: a staff member, a storefront or the system."))
    note = serializers.CharField()
    custom_status = serializers.SerializerMethodField(
        help_text=_('For custom_status events: {"type", "from", "to"} status codes; else null.'),
    )
    created_at = serializers.DateTimeField()

    def to_representation(self, event):
        data = super().to_representation(event)
        data["from_status"] = data["from_status"] or None
        data["to_status"] = data["to_status"] or None
        return data

    @extend_schema_field({
        "type": "object", "nullable": True,
        "properties": {
            "type": {"type": "string", "enum": CustomStatusType.values},
            "from": {"type": "string", "nullable": True},
            "to": {"type": "string", "nullable": True},
        },
    })
    def get_custom_status(self, event) -> dict | None:
        if event.kind != OrderEvent.Kind.CUSTOM_STATUS or not isinstance(event.data, dict):
            return None
        return {"type": event.data.get("type"), "from": event.data.get("from"), "to": event.data.get("to")}


class OrderOutput(serializers.Serializer):
    """An order as the list shows it."""

    number = serializers.CharField(help_text=_("The order's public number, e.g. K7QH-2M9X."))
    external_id = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    payment_status = serializers.ChoiceField(choices=PaymentStatus.choices)
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices)
    customer = OrderCustomerOutput(source="*")
    fulfillment = FulfillmentOutput(source="*")
    currency = serializers.CharField()
    lines = LineOutput(many=True)
    lines_total = MoneyField()
    shipping_cost = MoneyField()
    total = MoneyField()
    tracking = TrackingOutput(source="*")
    custom_statuses = CustomStatusesField()
    checkout_id = serializers.CharField(
        source="external_checkout_id", help_text=_("The storefront's checkout this order completed, or empty."),
    )
    oversold_skus = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("SKUs this order took below zero stock when it was placed (empty when the stock covered it)."),
    )
    timeline_url = serializers.URLField(source="get_timeline_url", help_text=_("The customer's public timeline page."))
    payment_link = serializers.SerializerMethodField(
        help_text=_("The order's current payment link (payment link orders, when the store makes them), or null."),
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(PaymentLinkOutput(allow_null=True))
    def get_payment_link(self, order) -> dict | None:
        link = payment_links.for_order(order)
        return PaymentLinkOutput(link).data if link is not None else None


class OrderDetailOutput(OrderOutput):
    """An order with its payments, refunds and timeline."""

    payments = PaymentOutput(many=True)
    refunds = RefundOutput(many=True, help_text=_("Money given back on the order, oldest first."))
    events = EventOutput(many=True, help_text=_("The timeline, oldest first."))

