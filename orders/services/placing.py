"""New orders: placing one with its lines (and a payment already taken), and the oversold SKUs the
inventory records on it once placed."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import events, models as order_models, signals
from ..models import FulfillmentMethod, Order, OrderLine, WhatsAppOptInSource
from .consent import set_whatsapp_opt_in
from .payments import register_payment, to_amount


def record_oversold(order: Order, skus: list[str]) -> Order:
    """Record the SKUs `order` took below zero stock (the inventory app calls it when the order is placed).

    Runs in the caller's transaction. `updated_at` moves with it, so the API's kept order JSON and
    integrations syncing with `updated_since` see the flag; the instance given is updated too.
    """
    now = timezone.now()
    skus = list(skus)
    Order.objects.filter(pk=order.pk).update(oversold_skus=skus, updated_at=now)
    order.oversold_skus = skus
    order.updated_at = now
    return order


NUMBER_DRAWS = 5  # 32^8 numbers: a second clash in a row is already next to impossible


def _insert_order(order: Order) -> None:
    """Insert a new order; if another order holds its number (drawn twice, or by a create racing
    this one), draw a new number and insert again, a few times. Each try runs in a savepoint, so a
    failed one leaves nothing behind. Any other integrity error (e.g. the storefront's external id
    already used) is raised as it is."""
    for draw in range(1, NUMBER_DRAWS + 1):
        try:
            with transaction.atomic():
                order.save(force_insert=True)
            return
        except IntegrityError:
            if draw == NUMBER_DRAWS or not Order.objects.filter(number=order.number).exists():
                raise
        order.number = order_models.new_order_number()


@transaction.atomic
def place_order(
    *,
    by,
    customer_name: str,
    payment_method: str,
    fulfillment_method: str,
    currency: str,
    lines: list[dict],
    shipping_cost=Decimal("0"),
    customer_email: str = "",
    customer_phone: str = "",
    language: str = "es",
    city: str = "",
    address: str = "",
    pickup_point: str = "",
    storefront=None,
    external_id: str = "",
    external_checkout_id: str = "",
    payment: dict | None = None,
    notify_customer: bool = True,
    whatsapp_opt_in_source: str = "",
) -> Order:
    """Record a new order with its lines (and a payment already taken online, if any).

    `whatsapp_opt_in_source` (a WhatsAppOptInSource) records that the customer opted in to WhatsApp
    updates where the order was placed (the storefront's checkout).

    Raises ValidationError with one message per field for bad input; saves nothing then.
    """
    errors: dict[str, list] = {}
    order = Order(
        number=order_models.new_order_number(),
        storefront=storefront,
        external_id=external_id or "",
        external_checkout_id=(external_checkout_id or "").strip(),
        customer_name=(customer_name or "").strip(),
        customer_email=(customer_email or "").strip(),
        customer_phone=customer_phone or "",
        language=language,
        fulfillment_method=fulfillment_method,
        city=(city or "").strip(),
        address=(address or "").strip(),
        pickup_point=(pickup_point or "").strip(),
        payment_method=payment_method,
        currency=(currency or "").upper(),
    )
    opt_in_source = WhatsAppOptInSource(whatsapp_opt_in_source) if whatsapp_opt_in_source else None
    try:
        order.shipping_cost = to_amount(shipping_cost, "shipping_cost")
    except ValidationError as error:
        errors.update(error.message_dict)
    if fulfillment_method == FulfillmentMethod.CARRIER and not order.address:
        errors.setdefault("address", []).append(_("Carrier orders need a delivery address."))
    if fulfillment_method == FulfillmentMethod.PICKUP and not order.pickup_point:
        errors.setdefault("pickup_point", []).append(_("Pickup orders need the pickup point."))

    order_lines: list[OrderLine] = []
    if not lines:
        errors.setdefault("lines", []).append(_("An order needs at least one line."))
    for number, data in enumerate(lines or [], start=1):
        line = OrderLine(
            order=order, sku=(data.get("sku") or "").strip(), name=(data.get("name") or "").strip(),
            quantity=data.get("quantity"),
        )
        try:
            line.unit_price = to_amount(data.get("unit_price"), "unit_price")
            line.line_total = line.unit_price * int(line.quantity or 0)
            # Field validators cover the two CHECK constraints; skip their per-line queries.
            line.full_clean(exclude=["order"], validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    errors.setdefault("lines", []).append(
                        _("Line %(number)s, %(field)s: %(message)s")
                        % {"number": number, "field": field, "message": message}
                    )
        except (TypeError, ValueError):
            errors.setdefault("lines", []).append(
                _("Line %(number)s: the quantity must be a whole number.") % {"number": number}
            )
        order_lines.append(line)

    if not errors:
        order.lines_total = sum((line.line_total for line in order_lines), Decimal("0"))
        order.total = order.lines_total + order.shipping_cost
    try:
        # The number's uniqueness is settled by the insert (_insert_order), which draws again on a clash.
        order.full_clean(exclude=["storefront", "carrier", "number"] + list(errors))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    _insert_order(order)
    for line in order_lines:
        line.order = order
    OrderLine.objects.bulk_create(order_lines)
    events.order_placed_event(order=order, user=by)
    if opt_in_source is not None:  # recorded, and noted on the timeline, before any message is written
        set_whatsapp_opt_in(order, opt_in=True, source=opt_in_source, by=by)
    signals.order_placed.send(sender=Order, order=order, by=by, notify_customer=notify_customer)
    if payment:
        register_payment(
            order, by=by, amount=payment.get("amount"), reference=payment.get("reference", ""),
            notify_customer=notify_customer,
        )
        order.refresh_from_db()
    return order
