"""What a storefront may send about orders, and the reference lists it reads to send it.

Inputs are strict, built from the API toolkit's fields (api/fields.py, api/serializers.py): types,
lengths, ranges and codes are checked here so that whatever reaches orders/services/ is
well-formed; the services still decide the business rules. The order itself, as the API answers
it, is `orders.representation`.
"""
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers import (
    BooleanField,
    CharField,
    ChoiceField,
    CurrencyField,
    EmailField,
    IntegerField,
    MoneyInputField,
    StrictInputSerializer,
    StrictPhoneNumberField,
)
from carriers.models import Carrier

from .models import CustomStatusType, FulfillmentMethod, Language, PaymentMethod, PaymentStatus, Status

MAX_QUANTITY = 100_000
MAX_LINES = 100  # lines per order; more is a bulk import, not a storefront order
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


LANGUAGE_ALIASES = {"pt-BR": Language.PORTUGUESE_BRAZIL}


class LanguageField(ChoiceField):
    """The customer's language: es, pt-br (pt-BR is accepted too) or en."""

    def __init__(self, **kwargs):
        super().__init__(choices=[*Language.values, *LANGUAGE_ALIASES], **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        return LANGUAGE_ALIASES.get(value, value)


# --- input -----------------------------------------------------------------------------------


class CustomerInput(StrictInputSerializer):
    name = CharField(max_length=200)
    email = EmailField(max_length=254, required=False, allow_blank=True, default="")
    phone = StrictPhoneNumberField(
        max_length=40, required=False, allow_blank=True, default="",
        help_text=_("E.164 (+5491155550000); a national number is read in the store's default region."),
    )
    language = LanguageField(required=False, default=Language.SPANISH)
    whatsapp_opt_in = BooleanField(
        required=False, default=False,
        help_text=_("The customer asked for order updates on WhatsApp at the checkout (their consent is "
                    "recorded on the order; without it no WhatsApp message is sent)."),
    )


class FulfillmentInput(StrictInputSerializer):
    method = ChoiceField(choices=FulfillmentMethod.choices)
    address = CharField(
        max_length=1000, required=False, allow_blank=True, default="", multiline=True,
        help_text=_("Required for carrier fulfillment. May span several lines."),
    )
    city = CharField(max_length=100, required=False, allow_blank=True, default="")
    pickup_point = CharField(
        max_length=1000, required=False, allow_blank=True, default="", multiline=True,
        help_text=_("Required for pickup: the address and opening hours. May span several lines."),
    )


class LineInput(StrictInputSerializer):
    sku = CharField(max_length=64, required=False, allow_blank=True, default="")
    name = CharField(max_length=255)
    quantity = IntegerField(min_value=1, max_value=MAX_QUANTITY)
    unit_price = MoneyInputField()


class PaidOnlineInput(StrictInputSerializer):
    amount = MoneyInputField(min_value=Decimal("0.01"))
    reference = CharField(max_length=120, required=False, allow_blank=True, default="")


class NotifyInput(StrictInputSerializer):
    notify_customer = BooleanField(
        required=False, default=True,
        help_text=_("Send the customer the milestone's email, SMS, push and WhatsApp (as the store's switches "
                    "allow)."),
    )


class OrderCreateInput(NotifyInput):
    external_id = CharField(
        max_length=100, help_text=_("The storefront's own order id; sending it again never creates a second order."),
    )
    checkout_id = CharField(
        max_length=100, required=False, allow_blank=True, default="",
        help_text=_("The checkout this order completes (as reported to POST /api/v1/checkouts/): it is marked "
                    "recovered and gets no recovery message."),
    )
    customer = CustomerInput()
    payment_method = ChoiceField(choices=PaymentMethod.choices)
    fulfillment = FulfillmentInput()
    currency = CurrencyField()
    lines = serializers.ListField(child=LineInput(), min_length=1, max_length=MAX_LINES)
    shipping_cost = MoneyInputField(required=False, default=Decimal("0.00"))
    payment = PaidOnlineInput(
        required=False, allow_null=True, default=None,
        help_text=_("The payment already taken online, if any: only for online orders."),
    )

    def validate(self, attrs):
        if attrs.get("payment") and attrs.get("payment_method") != PaymentMethod.ONLINE:
            # Other methods are paid later and registered with POST /api/v1/orders/{number}/payments/.
            raise serializers.ValidationError({"payment": [
                _("Only online orders are created with a payment; register the payment of a %(method)s order "
                  "once it is received.") % {"method": PaymentMethod(attrs["payment_method"]).label.lower()}
            ]}, code="payment_not_online")
        return attrs


class PaymentInput(NotifyInput):
    amount = MoneyInputField(min_value=Decimal("0.01"))
    reference = CharField(max_length=120, required=False, allow_blank=True, default="")


class RefundInput(NotifyInput):
    amount = MoneyInputField(
        min_value=Decimal("0.01"), help_text=_("At most what was paid on the order and not refunded yet."),
    )
    reference = CharField(
        max_length=120, required=False, allow_blank=True, default="",
        help_text=_("The refund's transfer, gateway or receipt number."),
    )
    note = CharField(
        max_length=1000, required=False, allow_blank=True, default="", multiline=True,
        help_text=_("For the store's staff (the customer does not see it). May span several lines."),
    )


class ShipInput(NotifyInput):
    carrier = CharField(max_length=40, help_text=_("A carrier code from GET /api/v1/carriers/."))
    tracking_code = CharField(max_length=60)

    def validate_carrier(self, value):
        carrier = Carrier.objects.filter(code=value).first()
        if carrier is None:
            raise serializers.ValidationError(_("Unknown carrier “%(code)s”.") % {"code": value}, code="does_not_exist")
        return carrier


class CustomStatusInput(NotifyInput):
    type = ChoiceField(
        choices=CustomStatusType.choices,
        error_messages={"invalid_choice": _("“{input}” is not a custom status type; use general, delivery or payment.")},
        help_text=_("The status type: general, delivery or payment."),
    )
    code = CharField(
        max_length=50, help_text=_("An active status code of that type from GET /api/v1/custom-statuses/, "
                                   "e.g. out_for_delivery."),
    )


class CancelInput(NotifyInput):
    reason = CharField(
        max_length=1000, multiline=True,
        help_text=_("Why the order is cancelled (the customer reads it). May span several lines."),
    )


class OrderListFilter(serializers.Serializer):
    external_id = CharField(required=False, max_length=100, help_text=_("The storefront's own order id."))
    status = ChoiceField(choices=Status.choices, required=False)
    payment_status = ChoiceField(choices=PaymentStatus.choices, required=False)
    updated_since = serializers.DateTimeField(
        required=False, help_text=_("ISO 8601, e.g. 2026-03-01T12:00:00Z: orders changed at or after this time."),
    )
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE,
        help_text=_("Orders per page (default %(default)s).") % {"default": PAGE_SIZE},
    )
    cursor = CharField(required=False, max_length=500, help_text=_("The `next` or `previous` link's cursor."))

    def to_internal_value(self, data):
        data = data.dict() if hasattr(data, "dict") else dict(data)  # one value per parameter; "" is not "absent"
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            # A misspelt filter (updatedSince, state) must not silently return every order.
            raise serializers.ValidationError({
                name or "non_field_errors": [
                    _("Unknown parameter “%(name)s”; the filters are %(known)s.")
                    % {"name": name, "known": ", ".join(self.fields)}
                ]
                for name in unknown
            }, code="unknown_parameter")
        value = data.get("updated_since")
        if isinstance(value, str) and " " in value.strip() and "T" in value:
            # A "+03:00" offset sent without URL-encoding arrives as " 03:00".
            data["updated_since"] = value.strip().replace(" ", "+")
        return super().to_internal_value(data)


# --- reference lists --------------------------------------------------------------------------


class CarrierOutput(serializers.ModelSerializer):
    tracking_code_format = serializers.CharField(
        source="tracking_code_regex",
        help_text=_("A regular expression the tracking code must match in full (spaces and dashes are removed first)."),
    )

    class Meta:
        model = Carrier
        fields = ["code", "name", "tracking_code_format", "tracking_code_example", "tracking_url_template"]
        read_only_fields = fields


class CustomStatusOutput(serializers.Serializer):
    type = serializers.ChoiceField(choices=CustomStatusType.choices)
    code = serializers.CharField(help_text=_("Send it to POST /api/v1/orders/{number}/statuses/."))
    name = serializers.CharField(source="label", help_text=_("In the request's language."))
    names = serializers.SerializerMethodField(help_text=_("The name in each language the store filled in."))
    position = serializers.IntegerField(help_text=_("Order among the statuses of its type; lower comes first."))

    @extend_schema_field({
        "type": "object",
        "properties": {language: {"type": "string"} for language in ("en", "es", "pt-br")},
        "required": ["en", "es", "pt-br"],
    })
    def get_names(self, status) -> dict:
        return {"en": status.name_en, "es": status.name_es, "pt-br": status.name_pt_br}
