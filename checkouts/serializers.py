"""What a storefront sends to report a checkout, and what it reads back (strict, like orders/api_serializers.py)."""
from datetime import timedelta

from django.core.validators import RegexValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers import (
    CharField,
    CurrencyField,
    EmailField,
    MoneyField,
    MoneyInputField,
    StrictInputSerializer,
    StrictPhoneNumberField,
    StrictTypeMixin,
)
from orders.api_serializers import MAX_LINES, LanguageField, LineInput
from orders.models import Language
from orders.representation import CustomerOutput

from .models import Checkout

CHECKOUT_ID_PATTERN = r"^[!-.0-~]{1,100}$"  # visible ASCII without "/": it goes into the URL
CLOCK_SKEW = timedelta(minutes=5)


@extend_schema_field({
    "type": "string", "pattern": CHECKOUT_ID_PATTERN, "minLength": 1, "maxLength": 100, "example": "TN-CHK-88123",
})
class CheckoutIdField(CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=100, **kwargs)
        self.validators.append(RegexValidator(
            CHECKOUT_ID_PATTERN[:-1] + r"\Z",
            message=_("Use 1 to 100 visible ASCII characters, without spaces or “/”."),
        ))


@extend_schema_field({"type": "string", "format": "uri", "pattern": "^https://", "maxLength": 1000,
                      "example": "https://tienda.example.com/checkout/88123/resume?token=abc"})
class HttpsURLField(CharField, serializers.URLField):
    def __init__(self, **kwargs):
        super().__init__(max_length=1000, **kwargs)
        self.validators = [URLValidator(schemes=["https"], message=_("Enter an https:// address."))]


@extend_schema_field({"type": "string", "format": "date-time", "example": "2026-03-01T12:00:00-03:00"})
class PastDateTimeField(StrictTypeMixin, serializers.DateTimeField):
    """An ISO 8601 time, not in the future (a few minutes of clock difference are forgiven)."""

    def to_internal_value(self, data):
        try:
            value = super().to_internal_value(data)
        except (OverflowError, ValueError):
            self.fail("invalid", format="ISO 8601")
        if value > timezone.now() + CLOCK_SKEW:
            raise serializers.ValidationError(_("This time is in the future."), code="invalid")
        if value.year < 2000:
            raise serializers.ValidationError(_("Send a time after the year 2000."), code="invalid")
        return value


class CheckoutCustomerInput(StrictInputSerializer):
    name = CharField(max_length=200, required=False, allow_blank=True, default="")
    email = EmailField(max_length=254, required=False, allow_blank=True, default="")
    phone = StrictPhoneNumberField(
        max_length=40, required=False, allow_blank=True, default="",
        help_text=_("E.164 (+5491155550000); a national number is read in the store's default region."),
    )
    language = LanguageField(required=False, default=Language.SPANISH)


class CheckoutInput(StrictInputSerializer):
    checkout_id = CheckoutIdField(
        help_text=_("The storefront's own checkout id. Send the same id again to update the checkout; an order "
                    "created with it as `checkout_id` marks the checkout recovered."),
    )
    customer = CheckoutCustomerInput(
        required=False,
        help_text=_("How to reach the customer; without an email (or a phone) no recovery message can be sent."),
    )
    currency = CurrencyField()
    lines = serializers.ListField(child=LineInput(), min_length=1, max_length=MAX_LINES)
    total = MoneyInputField(required=False, help_text=_("The checkout's total; the sum of the lines if omitted."))
    resume_url = HttpsURLField(help_text=_("The https:// address that takes the customer back to this checkout."))
    started_at = PastDateTimeField(
        required=False,
        help_text=_("When the customer started the checkout (ISO 8601); the time of the first report if omitted."),
    )
    last_activity_at = PastDateTimeField(
        required=False,
        help_text=_("The customer's last activity in the checkout (ISO 8601); the time of this report if omitted. "
                    "The recovery message goes out once the customer has been idle for the store's delay."),
    )


class CheckoutLineOutput(serializers.Serializer):
    sku = serializers.CharField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = MoneyField()


class CheckoutOutput(serializers.Serializer):
    checkout_id = serializers.CharField(source="external_id")
    status = serializers.ChoiceField(
        choices=Checkout.Status.choices,
        help_text=_("open; reminded (the recovery message was sent); recovered (an order completed it); "
                    "expired (not recovered in time)."),
    )
    customer = CustomerOutput(source="*")
    currency = serializers.CharField()
    lines = CheckoutLineOutput(many=True)
    total = MoneyField(allow_null=True)
    resume_url = serializers.URLField()
    order = serializers.SerializerMethodField(help_text=_("The number of the order that completed it, once recovered."))
    started_at = serializers.DateTimeField(source="created_at")
    last_activity_at = serializers.DateTimeField()
    reminded_at = serializers.DateTimeField(allow_null=True)
    recovered_at = serializers.DateTimeField(allow_null=True)

    def get_order(self, checkout) -> str | None:
        return checkout.order.number if checkout.order_id else None
