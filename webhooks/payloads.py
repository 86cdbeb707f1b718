"""The JSON a webhook carries: the event envelope and the order as the storefront API shows it
(orders/representation.py).

    {"id": "<event uuid>", "type": "order.shipped", "created_at": "<ISO 8601>",
     "data": {"order": {...GET /api/v1/orders/{number}/ without payments and events...}, "tracking": {...}}}

Built once, when the event happens, inside the order's transaction: every attempt and every
redelivery sends the same bytes.
"""
from __future__ import annotations

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from rest_framework import serializers

from orders.models import OrderEvent, Status
from orders.representation import OrderOutput

_datetime = serializers.DateTimeField()


def timestamp(value) -> str:
    return _datetime.to_representation(value)


def order_data(order) -> dict:
    """The order as GET /api/v1/orders/ lists it (same fields, same formats)."""
    return dict(OrderOutput(order).data)


def envelope(*, event_id, event_type: str, created_at, data: dict) -> str:
    body = {"id": str(event_id), "type": event_type, "created_at": timestamp(created_at), "data": data}
    return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


# --- what each event adds next to the order ----------------------------------------------------


def status_change(from_status: str, to_status: str) -> dict:
    return {"from_status": from_status, "to_status": to_status}


def tracking(order) -> dict:
    carrier = order.carrier if order.carrier_id else None
    return {
        "tracking": {
            "carrier": carrier.code if carrier else None,
            "carrier_name": carrier.name if carrier else None,
            "code": order.tracking_code or None,
            "url": order.tracking_url or None,
        }
    }


def cancellation(order) -> dict:
    """The reason staff or the storefront gave, from the timeline event the cancel just wrote."""
    event = (
        OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.STATUS_CHANGED, to_status=Status.CANCELLED)
        .order_by("-id")
        .first()
    )
    return {"reason": event.note if event is not None else ""}


def payment(payment) -> dict:
    return {
        "payment": {
            "amount": f"{payment.amount:.2f}",
            "reference": payment.reference,
            "created_at": timestamp(payment.created_at),
        }
    }


def _custom_status(status) -> dict | None:
    if status is None:
        return None
    return {
        "code": status.code,
        "type": status.type,
        "name": status.name_in(settings.LANGUAGE_CODE),
        "names": {"en": status.name_en, "es": status.name_es, "pt-br": status.name_pt_br},
    }


def custom_status_change(status_type: str, from_status, to_status) -> dict:
    return {
        "custom_status": {
            "type": status_type,
            "from": _custom_status(from_status),
            "to": _custom_status(to_status),
        }
    }
