"""Register refund: the order page's button and the page behind it, for staff with the permission."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _

from .. import services
from ..display import money
from ..forms import RefundForm
from ..models import Order
from ..services import TransitionNotAllowed
from .display import paid_amount, refunded_amount
from .pages import Button, OrderPages, change_url

REFUND_PERMISSION = "orders.register_refund"


def refund_refusal(order: Order) -> str | None:
    """Why a refund cannot be registered now (the service checks the same under a lock)."""
    refused = services.refund_refusal(order)
    return str(refused) if refused is not None else None


def refund_button(request, order: Order):
    """The order page's Register refund button, once the order is paid (None before)."""
    if not order.is_paid:
        return None
    allowed = request.user.has_perm(REFUND_PERMISSION)
    return Button(
        name="register_refund",
        label=_("Register refund"),
        url=reverse("admin:orders_order_refund", args=[order.pk]),
        reason=refund_refusal(order) if allowed else gettext("Your user cannot register refunds."),
    )


class RefundViews(OrderPages):
    """Mixed into OrderAdmin: the refund page (wired in its get_urls)."""

    def refund_view(self, request, object_id):
        """GET: amount, reference and note. POST: register the refund through the service."""
        order = self.page_order(request, object_id)
        if not request.user.has_perm(REFUND_PERMISSION):
            raise PermissionDenied
        refundable = services.refundable_amount(order)
        form = RefundForm(request.POST if request.method == "POST" else None, order=order, refundable=refundable)
        if request.method == "POST" and form.is_valid():
            try:
                refund = services.register_refund(order, by=request.user, **form.service_kwargs())
            except TransitionNotAllowed as refused:
                form.add_error(None, str(refused))
            except ValidationError as error:
                form.add_service_error(error)
            else:
                order.refresh_from_db()
                message = gettext("Refund of %(amount)s registered for order %(number)s.") % {
                    "amount": money(order, refund.amount), "number": order.number,
                }
                if not order.is_refundable:
                    message += " " + gettext("Everything paid was refunded.")
                messages.success(request, message)
                return HttpResponseRedirect(change_url(order))
        intro = gettext("Paid %(paid)s; refunded so far %(refunded)s; can still be refunded %(refundable)s.") % {
            "paid": money(order, paid_amount(order)), "refunded": money(order, refunded_amount(order)),
            "refundable": money(order, refundable),
        }
        return self.render_input_page(
            request, order, form=form,
            title=gettext("Register a refund for order %(number)s") % {"number": order.number},
            action_label=_("Register refund"),
            refusal=refund_refusal(order),
            intro=intro,
        )
