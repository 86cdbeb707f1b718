"""A platform's order read into the shape `orders.services.place_order` takes, whatever the platform.

Each platform module (tiendanube.py, shopify.py) reads its JSON into a `PlatformOrder`; the rest
of the app (mapping.py, services/applying.py) knows only this. The amounts are made to add up to
the platform's total: a discount (a coupon, Tiendanube's discount for paying by transfer) is spread
over the lines, and what the platform adds on top (taxes not in the prices) becomes one line, so
the order's total is what the customer paid and a payment of it makes the order paid.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone as dt_timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
SKU_LENGTH = 64
NAME_LENGTH = 255


@dataclass
class PlatformOrder:
    platform_id: str
    number: str = ""
    updated_at: datetime | None = None
    customer_name: str = ""
    customer_email: str = ""
    customer_phone: str = ""
    language: str = "es"
    currency: str = ""
    lines: list[dict] = field(default_factory=list)
    shipping_cost: Decimal = Decimal("0")
    total: Decimal = Decimal("0")
    address: str = ""
    city: str = ""
    pickup_point: str = ""
    # What the method rules look at: {field path: [values]} (mapping.py).
    payment_facts: dict[str, list[str]] = field(default_factory=dict)
    fulfillment_facts: dict[str, list[str]] = field(default_factory=dict)
    paid: bool = False
    payment_reference: str = ""
    cancelled: bool = False
    cancel_reason: str = ""
    # What reading it left out or adjusted, for the event's outcome (an invalid phone, a discount).
    notes: list[str] = field(default_factory=list)

    def contact(self) -> dict:
        """The fields an update may correct later (orders.services.update_contact)."""
        return {
            "customer_name": self.customer_name, "customer_email": self.customer_email,
            "customer_phone": self.customer_phone, "city": self.city, "address": self.address,
            "pickup_point": self.pickup_point,
        }


# --- reading values ----------------------------------------------------------------------------


def text(value, limit: int | None = None) -> str:
    value = "" if value is None else str(value).strip()
    return value[:limit] if limit else value


def join(*parts, separator=", ") -> str:
    return separator.join(text(part) for part in parts if text(part))


def amount(value) -> Decimal:
    try:
        result = Decimal(str(value if value not in (None, "") else "0"))
    except (InvalidOperation, ValueError):
        return Decimal("0")
    return result.quantize(CENT, rounding=ROUND_HALF_UP) if result.is_finite() else Decimal("0")


def quantity(value) -> int:
    try:
        return int(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return 0


def moment(value) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parse_datetime(str(value))
    except ValueError:
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt_timezone.utc)
    return parsed


def language(code) -> str:
    """Our customer language for a platform's locale ("pt", "pt-BR", "es_AR", "en")."""
    prefix = text(code).lower().replace("_", "-")[:2]
    return {"pt": "pt-br", "es": "es", "en": "en"}.get(prefix, "es")


def email(value, notes: list[str]) -> str:
    value = text(value, 254)
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        notes.append(_("the email “%(value)s” is not valid and was left out") % {"value": value})
        return ""
    return value


def phone(value, notes: list[str]) -> str:
    """E.164, or "" (and a note) for what is not a valid phone number."""
    value = text(value, 40)
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        notes.append(_("the phone “%(value)s” is not a valid number and was left out") % {"value": value})
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def values(*items) -> list[str]:
    """The non-empty texts among `items` (lists are flattened): a rule's field values."""
    found = []
    for item in items:
        for value in item if isinstance(item, (list, tuple)) else [item]:
            if text(value):
                found.append(text(value))
    return found


def line(*, sku, name, quantity_value, unit_price) -> dict:
    return {"sku": text(sku, SKU_LENGTH), "name": text(name, NAME_LENGTH) or "—", "quantity": quantity_value,
            "unit_price": unit_price}


# --- making the amounts add up -----------------------------------------------------------------


def _cents(value: Decimal) -> int:
    return int((value / CENT).to_integral_value())


def _split(item: dict, total_cents: int) -> list[dict]:
    """Lines of `item` whose totals make `total_cents` in whole cents (at most two unit prices)."""
    units = item["quantity"]
    base, odd = divmod(total_cents, units)
    lines = [{**item, "quantity": units - odd, "unit_price": Decimal(base) * CENT}]
    if odd:
        lines.append({**item, "quantity": odd, "unit_price": Decimal(base + 1) * CENT})
    return [piece for piece in lines if piece["quantity"] > 0]


def reconcile(order: PlatformOrder) -> None:
    """Make lines + shipping equal the platform's total (see the module's docstring)."""
    lines_total = sum((item["unit_price"] * item["quantity"] for item in order.lines), Decimal("0"))
    difference = order.total - lines_total - order.shipping_cost
    if not order.lines or difference == 0:
        return
    with translation.override(settings.LANGUAGE_CODE):
        if difference > 0:
            order.lines.append(line(sku="", name=_("Taxes and charges"), quantity_value=1, unit_price=difference))
            order.notes.append(_("%(amount)s of taxes and charges added as a line") % {"amount": difference})
            return
        discount = _cents(-difference)
        order.notes.append(_("a discount of %(amount)s spread over the lines") % {"amount": -difference})
    totals = [_cents(item["unit_price"] * item["quantity"]) for item in order.lines]
    whole = sum(totals)
    if discount > whole:  # more off than the products cost: the rest comes off the shipping
        order.shipping_cost -= Decimal(discount - whole) * CENT
        discount = whole
    shares = [discount * total // whole if whole else 0 for total in totals]
    leftover = discount - sum(shares)
    # Largest remainders first, so the shares add up to the discount to the cent.
    by_remainder = sorted(range(len(totals)), key=lambda i: -((discount * totals[i]) % whole if whole else 0))
    for index in by_remainder:
        if leftover <= 0:
            break
        if shares[index] < totals[index]:
            shares[index] += 1
            leftover -= 1
    order.lines = [piece for item, total, share in zip(order.lines, totals, shares)
                   for piece in _split(item, total - share)]
