"""What the API adds around orders/services/ to create an order: idempotent creation by the
storefront's external id, and the domain's field errors placed where the request had them."""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError

from api.exceptions import Conflict
from api.models import OrderSubmission
from api.services import fingerprint, nest_errors
from storefronts.models import Storefront

from . import services as order_services
from .models import Order, WhatsAppOptInSource


class ExternalIdConflict(Conflict):
    default_detail = gettext_lazy("An order with this external_id already exists with different content.")
    default_code = "external_id_conflict"


# Where each field of orders.services.place_order lives in the request body.
CREATE_FIELD_PATHS: dict[str, tuple[str, ...]] = {
    "customer_name": ("customer", "name"),
    "customer_email": ("customer", "email"),
    "customer_phone": ("customer", "phone"),
    "language": ("customer", "language"),
    "fulfillment_method": ("fulfillment", "method"),
    "address": ("fulfillment", "address"),
    "city": ("fulfillment", "city"),
    "pickup_point": ("fulfillment", "pickup_point"),
    "amount": ("payment", "amount"),
    "reference": ("payment", "reference"),
    "lines_total": ("lines",),
    "total": ("non_field_errors",),
    "__all__": ("non_field_errors",),
}


def _existing_order(storefront: Storefront, external_id: str, body_hash: str) -> Order | None:
    """The order already created for this external id, if the body matches; 409 if it does not."""
    order = (
        Order.objects.filter(storefront=storefront, external_id=external_id)
        .select_related("api_submission")
        .first()
    )
    if order is None:
        return None
    submission = getattr(order, "api_submission", None)
    if submission is None or submission.body_hash != body_hash:
        raise ExternalIdConflict(
            _("Order %(number)s already has external_id “%(external_id)s” with different content; "
              "send a new external_id for a new order.") % {"number": order.number, "external_id": external_id}
        )
    return order


def create_order(*, storefront: Storefront, data: dict) -> tuple[Order, bool]:
    """Create the order described by a validated OrderCreateInput; return it and whether it is new.

    The same external id with the same body returns the existing order and creates nothing,
    also when two identical requests race (the database's unique constraint decides).
    """
    external_id = data["external_id"]
    body_hash = fingerprint({k: v for k, v in data.items() if k != "notify_customer"})
    existing = _existing_order(storefront, external_id, body_hash)
    if existing is not None:
        return existing, False

    customer, fulfillment = data["customer"], data["fulfillment"]
    try:
        with transaction.atomic():
            order = order_services.place_order(
                by=storefront.user,
                storefront=storefront,
                external_id=external_id,
                external_checkout_id=data["checkout_id"],
                customer_name=customer["name"],
                customer_email=customer["email"],
                customer_phone=customer["phone"].as_e164 if customer["phone"] else "",
                language=customer["language"],
                payment_method=data["payment_method"],
                fulfillment_method=fulfillment["method"],
                address=fulfillment["address"],
                city=fulfillment["city"],
                pickup_point=fulfillment["pickup_point"],
                currency=data["currency"],
                lines=[dict(line) for line in data["lines"]],
                shipping_cost=data["shipping_cost"],
                payment=dict(data["payment"]) if data["payment"] else None,
                notify_customer=data["notify_customer"],
                whatsapp_opt_in_source=WhatsAppOptInSource.STOREFRONT if customer["whatsapp_opt_in"] else "",
            )
            OrderSubmission.objects.create(
                storefront=storefront, external_id=external_id, order=order, body_hash=body_hash,
            )
    except DjangoValidationError as error:
        raise ValidationError(nest_errors(error, CREATE_FIELD_PATHS)) from error
    except order_services.TransitionNotAllowed as refused:
        if refused.code != "overpayment":
            raise
        # The order did not exist before this request: an amount above its total is bad input.
        raise ValidationError({"payment": {"amount": [str(refused)]}}, code="overpayment") from refused
    except IntegrityError:
        # An identical request committed first: answer as its replay (or 409 if it differs).
        existing = _existing_order(storefront, external_id, body_hash)
        if existing is None:
            raise
        return existing, False
    return order, True
