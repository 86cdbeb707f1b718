"""The printable order sheet (everything needed to prepare and hand over the order) and the
download of a payment's proof: pages under the order's admin address for staff who may see it."""
from __future__ import annotations

from decimal import Decimal

from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from .. import services
from ..display import money, person_label
from ..models import OrderEvent
from .display import custom_status_change, custom_status_names, paid_amount, refunded_amount, status_label
from .pages import OrderPages, change_url


class SheetViews(OrderPages):
    """Mixed into OrderAdmin: the sheet and the proof download (wired in its get_urls)."""

    def sheet_view(self, request, object_id):
        """The printable order sheet: everything needed to prepare and hand over the order."""
        order = self.page_order(request, object_id)
        lines = [
            {
                "sku": line.sku, "name": line.name, "quantity": line.quantity,
                "unit_price": money(order, line.unit_price), "line_total": money(order, line.line_total),
            }
            for line in order.lines.all()
        ]
        payments = [
            {
                "created_at": payment.created_at, "amount": money(order, payment.amount),
                "reference": payment.reference, "has_proof": bool(payment.proof),
                "recorded_by": person_label(payment.recorded_by),
            }
            for payment in order.payments.select_related("recorded_by__storefront")
        ]
        refunds = [
            {
                "created_at": refund.created_at, "amount": money(order, refund.amount),
                "reference": refund.reference, "note": refund.note, "recorded_by": person_label(refund.recorded_by),
            }
            for refund in order.refunds.select_related("recorded_by__storefront")
        ]
        names = custom_status_names()
        events = [
            {
                "created_at": event.created_at, "kind": event.get_kind_display(),
                "actor": person_label(event.actor),
                "from_status": status_label(event.from_status),
                "to_status": (
                    custom_status_change(event, names) if event.kind == OrderEvent.Kind.CUSTOM_STATUS
                    else status_label(event.to_status)
                ),
                "note": event.note,
            }
            for event in order.events.select_related("actor__storefront")
        ]
        paid = paid_amount(order)
        next_step = services.next_action(order)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "order": order,
            "title": gettext("Order %(number)s") % {"number": order.number},
            "lines": lines,
            "payments": payments,
            "refunds": refunds,
            "events": events,
            "totals": {
                "lines_total": money(order, order.lines_total),
                "shipping_cost": money(order, order.shipping_cost),
                "total": money(order, order.total),
                "paid": money(order, paid),
                "due": money(order, max(order.total - paid, Decimal("0"))),
                "refunded": money(order, refunded_amount(order)) if refunds else "",
            },
            "next_step": next_step.label if next_step else "",
            "order_url": change_url(order),
        }
        return TemplateResponse(request, "orders/order_sheet.html", context)

    def payment_proof_view(self, request, object_id, payment_id):
        """Proofs are served to staff who may see the order, never from a public address."""
        order = self.page_order(request, object_id)
        payment = order.payments.filter(pk=payment_id).first()
        if payment is None or not payment.proof:
            raise Http404(gettext("This payment has no proof attached."))
        try:
            stored = payment.proof.open("rb")
        except FileNotFoundError:
            raise Http404(gettext("This payment has no proof attached.")) from None
        return FileResponse(stored, filename=payment.proof_download_name)
