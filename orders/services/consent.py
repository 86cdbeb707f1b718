"""The customer's consent to WhatsApp messages: given at the storefront's checkout, or on the timeline
page (where it is also withdrawn)."""
from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import events
from ..models import Order, Status, WhatsAppOptInSource
from .moves import lock_order

# An order stays open until it is finalized or cancelled: an opt-out reaches the customer's open orders.
CLOSED = (Status.FINALIZED, Status.CANCELLED)


@transaction.atomic
def set_whatsapp_opt_in(order: Order, *, opt_in: bool, source: str, by=None) -> bool:
    """Record the customer's answer (opt in or out) with where it was given and when; returns whether
    it changed. The same answer again changes nothing. The change is a note on the order's timeline.

    An opt-out is the customer's, not one order's: it also reaches their other open orders with the
    same phone number that had opted in, each with a note naming the order it was given on (so their
    queued messages stop too). An opt-in stays with its order."""
    source = WhatsAppOptInSource(source)
    others = []
    if not opt_in and order.customer_phone:
        candidates = list(
            Order.objects.filter(customer_phone=order.customer_phone, whatsapp_opt_in=True)
            .exclude(pk=order.pk).exclude(status__in=CLOSED).values_list("pk", flat=True)
        )
        # Every row locked up front in one order of keys, so two opt-outs at once cannot deadlock; the
        # others read again under the lock (one finalized meanwhile is left alone).
        locked = Order.objects.select_for_update(of=("self",)).filter(pk__in=[order.pk, *candidates]).order_by("pk")
        others = [pk for pk, status, answer in locked.values_list("pk", "status", "whatsapp_opt_in")
                  if pk != order.pk and status not in CLOSED and answer]
    changed = _answer(order, opt_in=opt_in, source=source, by=by)
    for pk in others:
        _answer(Order(pk=pk), opt_in=False, source=source, by=by, given_on=order.number)
    return changed


def _answer(order: Order, *, opt_in: bool, source: WhatsAppOptInSource, by, given_on: str = "") -> bool:
    locked = lock_order(order)
    if locked.whatsapp_opt_in == opt_in:
        return False
    locked.whatsapp_opt_in = opt_in
    locked.whatsapp_opt_in_source = source
    locked.whatsapp_opt_in_at = timezone.now()
    locked.save(update_fields=["whatsapp_opt_in", "whatsapp_opt_in_source", "whatsapp_opt_in_at", "updated_at"])
    with translation.override(settings.LANGUAGE_CODE):  # a note in the store's language, like the others
        if given_on:
            note = _("The customer opted out of WhatsApp updates on order %(number)s (%(source)s).") % {
                "number": given_on, "source": source.label}
        else:
            words = _("The customer opted in to WhatsApp updates (%(source)s).") if opt_in else _(
                "The customer opted out of WhatsApp updates (%(source)s).")
            note = words % {"source": source.label}
    data = {"whatsapp_opt_in": opt_in, "source": source.value, **({"given_on": given_on} if given_on else {})}
    events.note_event(order=locked, user=by, note=note, data=data)
    for field in ("whatsapp_opt_in", "whatsapp_opt_in_source", "whatsapp_opt_in_at", "updated_at"):
        setattr(order, field, getattr(locked, field))
    return True
