"""Strict input fields of the storefront API: what every input serializer is built from.

- `StrictTypeMixin`: a value of the wrong JSON type is refused, never coerced.
- `CharField`: refuses control characters (C0, DEL, C1), unpaired surrogates, Unicode line and
  paragraph separators and the bidi embedding, override and isolate characters (U+202A–U+202E,
  U+2066–U+2069) that can make a name or an email subject read backwards. A field built with
  `multiline=True` also takes newlines ("\\r\\n" is kept as "\\n"); every other one is one line.
  The left-to-right and right-to-left marks (U+200E, U+200F) are allowed: they only settle the
  direction of neutral characters in mixed-script text and cannot reorder it.
- `MoneyInputField`: ASCII digits with at most two decimals ("1500", "1500.5", "1500.00"): no
  sign, exponent, spaces, leading zeros or other scripts' digits. A JSON number is held to the
  same rule on the text it was sent as (`api.parsers.JSONParser` keeps it): `1500.5` is an
  amount, `1e2`, `-0` and `1500.005` are not.
- `CurrencyField`: a currency that is legal tender somewhere today (ISO 4217, from Babel's CLDR
  data), so fund, metal and testing codes such as XXX, XTS or XAU are refused.
- `StrictInputSerializer`: a body field the serializer does not know answers 400 naming it, so
  a misspelt field is never silently dropped.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from babel import Locale
from babel.numbers import get_territory_currencies
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

JSON_TYPE_NAMES = {
    str: _("a string"),
    int: _("a number"),
    float: _("a number"),
    bool: _("true or false"),
}


class StrictTypeMixin:
    """Refuses JSON values of the wrong type instead of coercing them ("5" is not a number)."""

    json_types: tuple[type, ...] = (str,)
    default_error_messages = {"wrong_type": _("Send %(expected)s here.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) and bool not in self.json_types or not isinstance(data, self.json_types):
            expected = " / ".join(dict.fromkeys(str(JSON_TYPE_NAMES[t]) for t in self.json_types))
            raise serializers.ValidationError(self.error_messages["wrong_type"] % {"expected": expected}, code="invalid")
        return super().to_internal_value(data)


# --- text ------------------------------------------------------------------------------------

# Control characters but "\n", unpaired surrogates, line/paragraph separators, bidi embeddings,
# overrides and isolates. Single-line fields refuse "\n" too.
_REFUSED_MULTILINE = "\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
REFUSED_IN_MULTILINE_TEXT = re.compile(f"[{_REFUSED_MULTILINE}]")
REFUSED_IN_TEXT = re.compile(f"[\n{_REFUSED_MULTILINE}]")
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

# For the OpenAPI schema (ECMA-262 regular expressions, as JSON Schema reads them).
TEXT_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
MULTILINE_TEXT_PATTERN = r"^[^\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"


def refused_character_message(value: str, *, multiline: bool) -> str | None:
    """Why `value` cannot be stored as text, or None if it can."""
    match = (REFUSED_IN_MULTILINE_TEXT if multiline else REFUSED_IN_TEXT).search(value)
    if match is None:
        return None
    character = match.group()
    params = {"character": f"U+{ord(character):04X}", "position": match.start() + 1}
    if character == "\n":
        return str(_("Send one line: a line break (U+000A at position %(position)s) is not allowed here.") % params)
    if BIDI_CONTROLS.match(character):
        return str(_("Remove the text-direction control character %(character)s at position %(position)s.") % params)
    return str(_("Remove the control character %(character)s at position %(position)s.") % params)


class CharField(StrictTypeMixin, serializers.CharField):
    """A string without control or bidi-override characters; one line unless `multiline=True`."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            if self.multiline:
                data = data.replace("\r\n", "\n")
            message = refused_character_message(data, multiline=self.multiline)
            if message:
                raise serializers.ValidationError(message, code="invalid_character")
        return super().to_internal_value(data)


# --- money -----------------------------------------------------------------------------------

MAX_AMOUNT_DIGITS = 10  # before the decimal point; 12 digits in all with the two decimals
MONEY_PATTERN = r"^(0|[1-9][0-9]{0,%d})(\.[0-9]{1,2})?$" % (MAX_AMOUNT_DIGITS - 1)
MONEY_RE = re.compile(MONEY_PATTERN[:-1] + r"\Z", re.ASCII)
MAX_AMOUNT = Decimal("9999999999.99")


def json_number_text(value) -> str:
    """The text a JSON number was sent as (kept by api.parsers.JSONParser), else Python's."""
    text = getattr(value, "json_text", None)
    if text is not None:
        return text
    return repr(value) if isinstance(value, float) else str(value)


@extend_schema_field({
    "oneOf": [
        {"type": "string", "pattern": MONEY_PATTERN, "maxLength": 13, "example": "1500.00"},
        {"type": "number", "minimum": 0, "maximum": float(MAX_AMOUNT)},
    ],
    "description": "An amount: a string of ASCII digits with at most 2 decimals, such as \"1500.00\", without sign, "
                   "exponent, spaces or leading zeros. A JSON number is accepted when written the same way (1500.5).",
})
class MoneyInputField(StrictTypeMixin, serializers.DecimalField):
    """An amount sent to us: "1500.00" (a JSON number written the same way too), at most 2 decimals."""

    json_types = (str, int, float)
    default_error_messages = {
        "not_an_amount": _("Enter an amount of ASCII digits with at most two decimals, such as 1500.00 "
                           "(no sign, exponent, spaces or leading zeros)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", MAX_AMOUNT)
        super().__init__(max_digits=12, decimal_places=2, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            data = json_number_text(data)
        if isinstance(data, str) and not MONEY_RE.match(data):
            self.fail("not_an_amount")
        return super().to_internal_value(data)


# --- currency --------------------------------------------------------------------------------

# ISO 4217's codes that are no country's money: funds units, precious metals, special drawing
# rights, testing and "no currency". Babel lists none of them as tender; refused whatever the data.
NON_MONEY_CODES = frozenset({
    "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX",
})


@functools.lru_cache(maxsize=2)
def _legal_tenders(day: date) -> frozenset[str]:
    codes: set[str] = set()
    for territory in Locale("en").territories:
        codes.update(get_territory_currencies(territory, start_date=day, tender=True))
    return frozenset(codes - NON_MONEY_CODES)


def active_currencies() -> frozenset[str]:
    """ISO 4217 codes that are legal tender in some territory today."""
    return _legal_tenders(date.today())


def validate_active_currency(value: str) -> None:
    if value not in active_currencies():
        raise serializers.ValidationError(
            _("“%(value)s” is not the code of a currency in use (ISO 4217, e.g. ARS, BRL, USD).") % {"value": value},
            code="invalid_currency",
        )


@extend_schema_field({"type": "string", "minLength": 3, "maxLength": 3, "pattern": "^[A-Za-z]{3}$", "example": "ARS"})
class CurrencyField(CharField):
    """An ISO 4217 code of a currency in use, such as ARS, BRL, MXN (any letter case)."""

    def __init__(self, **kwargs):
        super().__init__(min_length=3, max_length=3, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not re.fullmatch(r"[A-Za-z]{3}", value, re.ASCII):
            raise serializers.ValidationError(_("Send three letters, such as ARS."), code="invalid_currency")
        value = value.upper()
        validate_active_currency(value)
        return value


# --- serializers -----------------------------------------------------------------------------


class StrictInputSerializer(serializers.Serializer):
    """An input serializer that answers 400 naming each field it does not know."""

    default_error_messages = {
        "unknown_field": _("Unknown field; the fields here are %(known)s."),
    }

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(self.fields), key=str) if isinstance(data, Mapping) else []
        if not unknown:
            return super().to_internal_value(data)
        errors: dict = {}
        try:
            super().to_internal_value(data)
        except serializers.ValidationError as error:
            if isinstance(error.detail, Mapping):
                errors.update(error.detail)
        known = ", ".join(name for name, field in self.fields.items() if not field.read_only)
        message = self.error_messages["unknown_field"] % {"known": known}
        for name in unknown:
            errors[str(name) or "non_field_errors"] = [serializers.ErrorDetail(str(message), code="unknown_field")]
        raise serializers.ValidationError(errors)
