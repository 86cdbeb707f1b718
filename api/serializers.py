"""The toolkit's serializer fields and the error shape, for every app's API module.

Strict input fields (api/fields.py, re-exported here): a value of the wrong JSON type is refused,
never coerced. `MoneyField` is an amount we answer with; `ErrorOutput` is the shape of every error.
Each app's own serializers (orders/api_serializers.py, checkouts/serializers.py, ...) are built
from these.
"""
from drf_spectacular.utils import extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .fields import (  # noqa: F401  (the toolkit's strict fields, imported from here by the apps' API modules)
    JSON_TYPE_NAMES,
    CharField,
    CurrencyField,
    MoneyInputField,
    StrictInputSerializer,
    StrictTypeMixin,
)


class EmailField(StrictTypeMixin, serializers.EmailField):
    pass


class StrictPhoneNumberField(StrictTypeMixin, PhoneNumberField):
    pass


class ChoiceField(StrictTypeMixin, serializers.ChoiceField):
    pass


class BooleanField(StrictTypeMixin, serializers.BooleanField):
    json_types = (bool,)


class IntegerField(StrictTypeMixin, serializers.IntegerField):
    json_types = (int, float)

    def to_internal_value(self, data):
        if isinstance(data, float) and not data.is_integer():
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "pattern": r"^\d{1,10}\.\d{2}$", "example": "1500.00"})
class MoneyField(serializers.DecimalField):
    """An amount we answer with, always as a string with two decimals: "1500.00"."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=12, decimal_places=2, **kwargs)


class ErrorOutput(serializers.Serializer):
    code = serializers.CharField(help_text=_("A stable machine code, e.g. payment_required."))
    detail = serializers.CharField(help_text=_("A human sentence, in the request's language."))
