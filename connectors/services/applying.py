"""Applying a platform order to ours, always through `orders.services` (the only writer of orders).

Whatever event brought it, and in whatever order events come, the platform order as read now is
compared with what we have:
- no order yet: its methods are mapped (mapping.py) and it is placed with `place_order` (external
  id = the platform's order id, unique per storefront like the API's), paid at once if the platform
  says so; one the rules cannot map, or `place_order` refuses, is kept aside on its `OrderLink`
  with the reason, and recorded when the event is tried again (a rule saved, a retry);
- paid on the platform and not here: `register_payment` of what is still owed, once;
- cancelled on the platform and not here: `cancel` with the platform's reason; the platform told
  the customer, so ours is not sent;
- contact and delivery details the platform changed: `update_contact`, for the fields the staff
  did not correct meanwhile and while the order may still change (never a move the staff made).
A version older than one already applied (Shopify's bodies may arrive out of order) changes no
details; payments and cancellations only ever go forward, so they are safe from any version.
The `OrderLink` row is locked meanwhile, so two events of one order never interleave.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext as _

from orders import services as order_services
from orders.models import Order, Status

from ..mapping import map_methods
from ..models import OrderLink, PlatformAccount, PlatformEvent
from ..platform_order import PlatformOrder

DONE, HELD = PlatformEvent.Status.DONE, PlatformEvent.Status.HELD
CONTACT_FIELDS = ("customer_name", "customer_email", "customer_phone")
DELIVERY_FIELDS = ("city", "address", "pickup_point")


@dataclass
class Outcome:
    status: str
    message: str
    link: OrderLink | None = None


def _errors(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


def apply(account: PlatformAccount, incoming: PlatformOrder) -> Outcome:
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        link, _created = OrderLink.objects.get_or_create(
            account=account, platform_order_id=incoming.platform_id, defaults={"platform_number": incoming.number},
        )
        link = OrderLink.objects.select_for_update().get(pk=link.pk)
        order = link.order or Order.objects.filter(
            storefront=account.storefront, external_id=incoming.platform_id).first()
        if order is None:
            outcome = _place(account, link, incoming)
        else:
            outcome = _update(account, link, order, incoming)
        if incoming.number and link.platform_number != incoming.number:
            link.platform_number = incoming.number
        link.save()
        outcome.link = link
        if incoming.notes and outcome.status == DONE:
            outcome.message += " " + _("(From the platform's data: %(notes)s.)") % {"notes": "; ".join(incoming.notes)}
        return outcome


def _place(account: PlatformAccount, link: OrderLink, incoming: PlatformOrder) -> Outcome:
    mapped = map_methods(account.platform, incoming)
    if not mapped.ok:
        link.problem = mapped.problem
        return Outcome(HELD, mapped.problem)
    storefront = account.storefront
    by = storefront.user
    payment = None
    if incoming.paid and incoming.total > 0:
        payment = {"amount": incoming.total, "reference": incoming.payment_reference}
    try:
        with transaction.atomic():
            order = order_services.place_order(
                by=by, storefront=storefront, external_id=incoming.platform_id,
                customer_name=incoming.customer_name, customer_email=incoming.customer_email,
                customer_phone=incoming.customer_phone, language=incoming.language,
                payment_method=mapped.payment_method, fulfillment_method=mapped.fulfillment_method,
                currency=incoming.currency, lines=incoming.lines, shipping_cost=incoming.shipping_cost,
                city=incoming.city, address=incoming.address, pickup_point=incoming.pickup_point,
                payment=payment,
                # Cancelled on the platform before it reached us: kept for the record, nobody told.
                notify_customer=not incoming.cancelled,
            )
            if incoming.cancelled:
                order = order_services.cancel(order, by=by, reason=incoming.cancel_reason, notify_customer=False)
    except ValidationError as error:
        link.problem = _("The order could not be recorded: %(errors)s") % {"errors": _errors(error)}
        return Outcome(HELD, link.problem)
    except order_services.TransitionNotAllowed as refused:
        link.problem = _("The order could not be recorded: %(reason)s") % {"reason": refused}
        return Outcome(HELD, link.problem)
    except IntegrityError:
        # The storefront's API created an order with this external id meanwhile: that one is it.
        order = Order.objects.get(storefront=storefront, external_id=incoming.platform_id)
        return _update(account, link, order, incoming)
    link.order = order
    link.problem = ""
    link.platform_updated_at = incoming.updated_at
    link.applied = incoming.contact()
    message = _("Order %(number)s recorded.") % {"number": order.number}
    if incoming.cancelled:
        message += " " + _("It was already cancelled on the platform.")
    elif payment:
        message += " " + _("Paid.")
    return Outcome(DONE, message)


def _owed(order: Order) -> Decimal:
    paid = order.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return order.total - paid


def _update(account: PlatformAccount, link: OrderLink, order: Order, incoming: PlatformOrder) -> Outcome:
    by = account.storefront.user
    link.order = order
    link.problem = ""
    done, refused = [], []
    if incoming.paid and not order.is_paid and order.status != Status.CANCELLED and _owed(order) > 0:
        try:
            order_services.register_payment(order, by=by, amount=_owed(order), reference=incoming.payment_reference)
            done.append(_("payment registered"))
        except (order_services.TransitionNotAllowed, ValidationError) as error:
            refused.append(_("the payment was not registered: %(reason)s") % {"reason": _reason(error)})
        order.refresh_from_db()
    if incoming.cancelled and order.status != Status.CANCELLED:
        try:
            order = order_services.cancel(order, by=by, reason=incoming.cancel_reason, notify_customer=False)
            done.append(_("cancelled"))
        except (order_services.TransitionNotAllowed, ValidationError) as error:
            refused.append(_("it was cancelled on the platform but not here: %(reason)s") % {"reason": _reason(error)})
    stale = incoming.updated_at and link.platform_updated_at and incoming.updated_at < link.platform_updated_at
    if stale:
        done.append(_("details not changed: an older version of the order than one already applied"))
    else:
        done.extend(_update_details(link, order, incoming, by))
        if incoming.updated_at:
            link.platform_updated_at = incoming.updated_at
    message = _("Order %(number)s: %(changes)s.") % {
        "number": order.number, "changes": "; ".join(done + refused) or _("nothing to change"),
    }
    if refused:
        link.problem = message
        return Outcome(HELD, message)
    return Outcome(DONE, message)


def _reason(error) -> str:
    return _errors(error) if isinstance(error, ValidationError) else str(error)


def _update_details(link: OrderLink, order: Order, incoming: PlatformOrder, by) -> list[str]:
    """The contact and delivery fields the platform changed and the staff did not, while they may change."""
    if order.status in (Status.FINALIZED, Status.CANCELLED):
        return []
    fields = CONTACT_FIELDS
    if order.status not in (Status.SHIPPED, Status.READY_FOR_PICKUP):
        fields += DELIVERY_FIELDS
    new, applied = incoming.contact(), dict(link.applied or {})
    changes, kept = {}, []
    for field in fields:
        value = new[field]
        before = applied.get(field)
        if not value or value == before:
            continue  # the platform did not change it (or emptied it: we keep what we have)
        current = str(getattr(order, field) or "")
        if before is not None and current != str(before or ""):
            kept.append(field)  # the staff corrected it here: theirs stays
            continue
        changes[field] = value
    notes = []
    if changes:
        try:
            changed = order_services.update_contact(
                order, by=by, changes=changes,
                note=_("Updated on the platform: %(fields)s") % {"fields": ", ".join(changes)},
            )
        except (order_services.TransitionNotAllowed, ValidationError) as error:
            return [_("details not changed: %(reason)s") % {"reason": _reason(error)}]
        applied.update({field: changes[field] for field in changes})
        link.applied = applied
        if changed:
            notes.append(_("updated %(fields)s") % {"fields": ", ".join(changed)})
    if kept:
        notes.append(_("kept the staff's correction of %(fields)s") % {"fields": ", ".join(kept)})
    return notes
