"""The customer's consent to WhatsApp messages: given at the storefront's checkout, or on the timeline
page (where it is also withdrawn)."""
from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import events
from ..models import Order, WhatsAppOptInSource
from .moves import lock_order


@transaction.atomic
def set_whatsapp_opt_in(order: Order, *, opt_in: bool, source: str, by=None) -> bool:
    """Record the customer's answer (opt in or out) with where it was given and when; returns whether
    it changed. The same answer again changes nothing. The change is a note on the order's timeline."""
    source = WhatsAppOptInSource(source)
    locked = lock_order(order)
    if locked.whatsapp_opt_in == opt_in:
        return False
    locked.whatsapp_opt_in = opt_in
    locked.whatsapp_opt_in_source = source
    locked.whatsapp_opt_in_at = timezone.now()
    locked.save(update_fields=["whatsapp_opt_in", "whatsapp_opt_in_source", "whatsapp_opt_in_at", "updated_at"])
    with translation.override(settings.LANGUAGE_CODE):  # a note in the store's language, like the others
        words = _("The customer opted in to WhatsApp updates (%(source)s).") if opt_in else _(
            "The customer opted out of WhatsApp updates (%(source)s).")
        note = words % {"source": source.label}
    events.note_event(order=locked, user=by, note=note, data={"whatsapp_opt_in": opt_in, "source": source.value})
    for field in ("whatsapp_opt_in", "whatsapp_opt_in_source", "whatsapp_opt_in_at", "updated_at"):
        setattr(order, field, getattr(locked, field))
    return True
