"""The order page's move buttons and the pages behind them: one per move of orders/services/, and
Register payment (Register refund is refunds.py). Each page asks for the move's input, checks the
staff member's permission, and shows what the service said.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _

from .. import services
from ..display import money
from ..forms import CancelForm, MoveForm, PaymentForm, ShipForm
from ..models import FulfillmentMethod, Order, Status
from ..services import TransitionNotAllowed
from .display import paid_amount
from .pages import Button, OrderPages, change_url
from .refunds import refund_button


@dataclass(frozen=True)
class StaffMove:
    """One button on the order page: the service function it calls and who may press it."""

    name: str  # the function of orders.services, also the URL segment
    label: Any
    permission: str
    form_class: type[MoveForm]
    title: Any  # heading of the move's page
    success: Any  # message after the move, with %(number)s
    no_permission: Any  # reason shown on the disabled button
    danger: bool = False

    @property
    def codename(self) -> str:
        return self.permission.split(".", 1)[1]


STAFF_MOVES: tuple[StaffMove, ...] = (
    StaffMove(
        "accept", _("Accept"), "orders.accept_order", MoveForm,
        title=_("Accept order %(number)s"),
        success=_("Order %(number)s accepted."),
        no_permission=_("Your user cannot accept orders."),
    ),
    StaffMove(
        "start_preparation", _("Start preparation"), "orders.prepare_order", MoveForm,
        title=_("Start preparing order %(number)s"),
        success=_("Order %(number)s is in preparation."),
        no_permission=_("Your user cannot start preparing orders."),
    ),
    StaffMove(
        "ship", _("Ship"), "orders.ship_order", ShipForm,
        title=_("Ship order %(number)s"),
        success=_("Order %(number)s shipped."),
        no_permission=_("Your user cannot ship orders."),
    ),
    StaffMove(
        "mark_ready_for_pickup", _("Mark ready for pickup"), "orders.ready_for_pickup_order", MoveForm,
        title=_("Mark order %(number)s ready for pickup"),
        success=_("Order %(number)s is ready for pickup."),
        no_permission=_("Your user cannot mark orders ready for pickup."),
    ),
    StaffMove(
        "finalize", _("Finalize"), "orders.finalize_order", MoveForm,
        title=_("Finalize order %(number)s"),
        success=_("Order %(number)s finalized."),
        no_permission=_("Your user cannot finalize orders."),
    ),
    StaffMove(
        "cancel", _("Cancel order"), "orders.cancel_order", CancelForm,
        title=_("Cancel order %(number)s"),
        success=_("Order %(number)s cancelled."),
        no_permission=_("Your user cannot cancel orders."),
        danger=True,
    ),
)
STAFF_MOVES_BY_NAME = {move.name: move for move in STAFF_MOVES}
PAYMENT_PERMISSION = "orders.register_payment"


def applicable_moves(order: Order) -> list[StaffMove]:
    """The moves that make sense for the order's fulfillment method at all.

    Carrier orders are shipped and never marked ready for pickup; pickup and to-be-agreed
    orders the other way round. The service refuses the wrong one anyway.
    """
    skip = "mark_ready_for_pickup" if order.fulfillment_method == FulfillmentMethod.CARRIER else "ship"
    return [move for move in STAFF_MOVES if move.name != skip]


def payment_refusal(order: Order) -> str | None:
    """Why a payment cannot be registered now (the service checks the same under a lock)."""
    if order.status == Status.CANCELLED:
        return gettext("Cancelled orders cannot receive payments.")
    if order.is_paid:
        return gettext("This order is already paid.")
    return None


def order_buttons(request, order: Order) -> list[Button]:
    """The order page's buttons: each move, Register payment and (on a paid order) Register refund,
    enabled or with the reason it is not."""
    user = request.user
    refusals = services.allowed_moves(order)
    buttons = []
    for move in applicable_moves(order):
        reason = None if user.has_perm(move.permission) else str(move.no_permission)
        buttons.append(
            Button(
                name=move.name,
                label=move.label,
                url=reverse("admin:orders_order_move", args=[order.pk, move.name]),
                reason=reason or refusals[move.name],
                danger=move.danger,
            )
        )
    reason = None if user.has_perm(PAYMENT_PERMISSION) else gettext("Your user cannot register payments.")
    buttons.append(
        Button(
            name="register_payment",
            label=_("Register payment"),
            url=reverse("admin:orders_order_payment", args=[order.pk]),
            reason=reason or payment_refusal(order),
        )
    )
    refund = refund_button(request, order)
    if refund is not None:
        buttons.append(refund)
    return buttons


class MoveViews(OrderPages):
    """Mixed into OrderAdmin: the move and payment pages (wired in its get_urls)."""

    def move_view(self, request, object_id, move_name):
        """GET: the move's small form. POST: make the move through the service."""
        move = STAFF_MOVES_BY_NAME.get(move_name)
        if move is None:
            raise Http404
        order = self.page_order(request, object_id)
        if not request.user.has_perm(move.permission):
            raise PermissionDenied
        form = move.form_class(request.POST if request.method == "POST" else None, order=order)
        if request.method == "POST" and form.is_valid():
            try:
                getattr(services, move.name)(order, by=request.user, **form.service_kwargs())
            except TransitionNotAllowed as refused:
                form.add_error(None, str(refused))
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, move.success % {"number": order.number})
                return HttpResponseRedirect(change_url(order))
        return self.render_input_page(
            request, order, form=form,
            title=move.title % {"number": order.number},
            action_label=move.label,
            refusal=services.allowed_moves(order)[move.name],
            danger=move.danger,
        )

    def payment_view(self, request, object_id):
        """GET: amount, reference and proof. POST: register the payment through the service."""
        order = self.page_order(request, object_id)
        if not request.user.has_perm(PAYMENT_PERMISSION):
            raise PermissionDenied
        paid = paid_amount(order)
        balance = max(order.total - paid, Decimal("0"))
        if request.method == "POST":
            form = PaymentForm(request.POST, request.FILES, order=order, balance=balance)
        else:
            form = PaymentForm(order=order, balance=balance)
        if request.method == "POST" and form.is_valid():
            try:
                payment = services.register_payment(order, by=request.user, **form.service_kwargs())
            except TransitionNotAllowed as refused:
                form.add_error(None, str(refused))
            except ValidationError as error:
                form.add_service_error(error)
            else:
                order.refresh_from_db()
                message = gettext("Payment of %(amount)s registered for order %(number)s.") % {
                    "amount": money(order, payment.amount), "number": order.number,
                }
                if order.is_paid:
                    message += " " + gettext("The order is paid.")
                else:
                    message += " " + gettext("Still due: %(balance)s.") % {
                        "balance": money(order, order.total - paid_amount(order)),
                    }
                messages.success(request, message)
                return HttpResponseRedirect(change_url(order))
        intro = gettext("Total %(total)s; paid so far %(paid)s; due %(due)s.") % {
            "total": money(order, order.total), "paid": money(order, paid), "due": money(order, balance),
        }
        return self.render_input_page(
            request, order, form=form,
            title=gettext("Register a payment for order %(number)s") % {"number": order.number},
            action_label=_("Register payment"),
            refusal=payment_refusal(order),
            intro=intro,
        )
