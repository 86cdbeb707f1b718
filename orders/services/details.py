"""Corrections of how to reach the customer after the order was placed, and erasing them on request."""
from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import events
from ..models import Order, Status
from .lifecycle import TransitionNotAllowed
from .moves import lock_order

# What may change after the order was placed: the customer's contact until the order is closed, the
# delivery details until it leaves (shipped or ready for pickup).
CONTACT_FIELDS = ("customer_name", "customer_email", "customer_phone")
DELIVERY_FIELDS = ("city", "address", "pickup_point")
CLOSED = (Status.FINALIZED, Status.CANCELLED)
DELIVERY_FIXED = (Status.SHIPPED, Status.READY_FOR_PICKUP, Status.FINALIZED, Status.CANCELLED)


@transaction.atomic
def update_contact(order: Order, *, by, changes: dict, note: str = "") -> list[str]:
    """Correct the customer's contact and delivery details; returns the fields that changed.

    `changes` maps field names of CONTACT_FIELDS and DELIVERY_FIELDS to new values. Contact fields
    change until the order is finalized or cancelled, delivery fields until it is shipped or ready
    for pickup (TransitionNotAllowed otherwise, "order_closed" / "delivery_fixed"). Bad values raise
    ValidationError and save nothing. The changed fields go on the timeline as a note.
    """
    unknown = set(changes) - set(CONTACT_FIELDS) - set(DELIVERY_FIELDS)
    if unknown:
        raise ValueError(f"Not a contact or delivery field: {', '.join(sorted(unknown))}")
    locked = lock_order(order)
    changed = [field for field, value in changes.items() if str(getattr(locked, field) or "") != str(value or "")]
    if not changed:
        return []
    if locked.status in CLOSED:
        raise TransitionNotAllowed("order_closed", _("A finalized or cancelled order keeps its details."))
    if locked.status in DELIVERY_FIXED and set(changed) & set(DELIVERY_FIELDS):
        raise TransitionNotAllowed(
            "delivery_fixed", _("The delivery details cannot change once the order is shipped or ready for pickup."),
        )
    for field in changed:
        value = changes[field] or ""
        setattr(locked, field, value.strip() if isinstance(value, str) else value)
    locked.full_clean(exclude=[f.name for f in Order._meta.fields if f.name not in changed])
    locked.save(update_fields=[*changed, "updated_at"])
    events.note_event(order=locked, user=by, note=note, data={"changed": changed})
    return changed


REDACTED_NAME = "—"


@transaction.atomic
def redact_customer(order: Order, *, by, note: str = "") -> Order:
    """Erase what identifies the customer (name, email, phone, address, city), at the customer's or
    the platform's request. The lines, amounts, payments and timeline stay (the store's records)."""
    locked = lock_order(order)
    locked.customer_name = REDACTED_NAME
    locked.customer_email = ""
    locked.customer_phone = ""
    locked.address = ""
    locked.city = ""
    locked.save(update_fields=["customer_name", "customer_email", "customer_phone", "address", "city", "updated_at"])
    events.note_event(order=locked, user=by, note=note, data={"redacted": True})
    return locked
