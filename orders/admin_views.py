"""The staff's move pages, order-page buttons and printable sheet, served under the order admin.

Every move goes through orders/services.py; this module only asks for the move's input,
checks the staff member's permission, and shows what the service said.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel import localedata
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language, gettext, gettext_lazy as _

from . import services
from .forms import CancelForm, CustomStatusForm, MoveForm, PaymentForm, ShipForm
from .models import (
    CUSTOM_STATUS_TYPE_ORDER,
    CustomStatus,
    CustomStatusType,
    FulfillmentMethod,
    Order,
    OrderEvent,
    Status,
)
from .services import CustomStatusNotFound, TransitionNotAllowed


@dataclass(frozen=True)
class StaffMove:
    """One button on the order page: the service function it calls and who may press it."""

    name: str  # the function of orders/services.py, also the URL segment
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


def paid_amount(order: Order) -> Decimal:
    return order.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def payment_refusal(order: Order) -> str | None:
    """Why a payment cannot be registered now (the service checks the same under a lock)."""
    if order.status == Status.CANCELLED:
        return gettext("Cancelled orders cannot receive payments.")
    if order.is_paid:
        return gettext("This order is already paid.")
    return None


@dataclass(frozen=True)
class Button:
    name: str
    label: Any
    url: str
    reason: str | None
    danger: bool = False

    @property
    def enabled(self) -> bool:
        return self.reason is None


def order_buttons(request, order: Order) -> list[Button]:
    """The order page's buttons: each move and Register payment, enabled or with the reason it is not."""
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
    return buttons


def money(order: Order, amount) -> str:
    """An amount in the order's currency, written the way the staff member's language writes it.

    Where the language is spoken in the currency's country, that country's way is used:
    pesos read "$11.500,00" to Argentine staff, reais "R$ 11.500,00" to Brazilian staff.
    """
    if amount is None:
        return ""
    language = (get_language() or "es").split("-")[0].lower()
    regional = f"{language}_{order.currency[:2].upper()}"
    return order.format_money(amount, language=regional if localedata.exists(regional) else language)


def person_label(user) -> str:
    """Who did something: the storefront's name for its service user, else the staff member."""
    if user is None:
        return gettext("System")
    try:
        storefront = user.storefront
    except ObjectDoesNotExist:
        storefront = None
    if storefront is not None:
        return gettext("%(name)s (storefront)") % {"name": storefront.name}
    return user.get_full_name() or user.get_username()


def status_label(value: str) -> str:
    return str(Status(value).label) if value else ""


CUSTOM_STATUS_PERMISSION = "orders.set_custom_status"


def _all_custom_statuses(request=None) -> list[CustomStatus]:
    """Every custom status, read once per request (the order page's forms and timeline share them)."""
    statuses = getattr(request, "_custom_statuses", None)
    if statuses is None:
        statuses = list(CustomStatus.objects.all())
        if request is not None:
            request._custom_statuses = statuses
    return statuses


def custom_status_names(request=None) -> dict[tuple[str, str], str]:
    """(type, code) -> name in the staff member's language, for every custom status."""
    return {(status.type, status.code): status.label for status in _all_custom_statuses(request)}


def custom_status_change(event: OrderEvent, names: dict[tuple[str, str], str]) -> str:
    """A custom status event in words: "Delivery: In transit → Delivered" (or "→ —" once cleared)."""
    data = event.data if isinstance(event.data, dict) else {}
    status_type = data.get("type") or ""
    type_label = CustomStatusType(status_type).label if status_type in CustomStatusType.values else status_type

    def name(code):
        return names.get((status_type, code), code) if code else "—"

    if data.get("from"):
        return f"{type_label}: {name(data.get('from'))} → {name(data.get('to'))}"
    return f"{type_label}: {name(data.get('to'))}"


def custom_status_refusal(order: Order) -> str | None:
    """Why no custom status can be set on the order now (the service checks the same under a lock)."""
    if order.status == Status.CANCELLED:
        return gettext("Cancelled orders cannot get custom statuses.")
    return None


@dataclass(frozen=True)
class CustomStatusRow:
    """One type on the order page: its current status, and the small form to set another."""

    type: str
    type_label: Any
    current: CustomStatus | None
    set_at: Any
    set_by: str
    choices: list[tuple[str, str]]
    url: str
    reason: str | None  # why staff cannot set it (permission or the order's state), else None


def custom_status_rows(request, order: Order) -> list[CustomStatusRow]:
    """The order page's custom statuses, one row per type, in two queries."""
    current = {row.type: row for row in order.custom_statuses.select_related("status", "set_by__storefront")}
    statuses = _all_custom_statuses(request)
    reason = None if request.user.has_perm(CUSTOM_STATUS_PERMISSION) else gettext(
        "Your user cannot set custom statuses."
    )
    reason = reason or custom_status_refusal(order)
    rows = []
    for status_type in CustomStatusType:
        row = current.get(status_type.value)
        choices = [
            (status.code, status.label) for status in statuses
            if status.type == status_type and (status.active or (row is not None and row.status_id == status.pk))
        ]
        rows.append(CustomStatusRow(
            type=status_type.value,
            type_label=status_type.label,
            current=row.status if row else None,
            set_at=row.set_at if row else None,
            set_by=person_label(row.set_by) if row else "",
            choices=choices,
            url=reverse("admin:orders_order_custom_status", args=[order.pk, status_type.value]),
            reason=reason,
        ))
    rows.sort(key=lambda row: CUSTOM_STATUS_TYPE_ORDER[row.type])
    return rows


# --- views -------------------------------------------------------------------------------------


def _get_order(model_admin, request, object_id) -> Order:
    order = model_admin.get_object(request, unquote(object_id))
    if order is None:
        raise Http404(gettext("This order does not exist."))
    if not model_admin.has_view_or_change_permission(request, order):
        raise PermissionDenied
    return order


def _change_url(order: Order) -> str:
    return reverse("admin:orders_order_change", args=[order.pk])


def _render_form(model_admin, request, order, *, form, title, action_label, refusal, danger=False, intro=None):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": order,
        "order": order,
        "title": title,
        "subtitle": None,
        "form": form,
        "media": model_admin.media + form.media,
        "action_label": action_label,
        "refusal": refusal,
        "danger": danger,
        "intro": intro,
        "order_url": _change_url(order),
        "total_display": money(order, order.total),
        "has_view_permission": model_admin.has_view_permission(request, order),
    }
    return TemplateResponse(request, "admin/orders/order/move_form.html", context)


def move_view(model_admin, request, object_id, move_name):
    """GET: the move's small form. POST: make the move through the service."""
    move = STAFF_MOVES_BY_NAME.get(move_name)
    if move is None:
        raise Http404
    order = _get_order(model_admin, request, object_id)
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
            return HttpResponseRedirect(_change_url(order))
    return _render_form(
        model_admin, request, order, form=form,
        title=move.title % {"number": order.number},
        action_label=move.label,
        refusal=services.allowed_moves(order)[move.name],
        danger=move.danger,
    )


def payment_view(model_admin, request, object_id):
    """GET: amount, reference and proof. POST: register the payment through the service."""
    order = _get_order(model_admin, request, object_id)
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
            return HttpResponseRedirect(_change_url(order))
    intro = gettext("Total %(total)s; paid so far %(paid)s; due %(due)s.") % {
        "total": money(order, order.total), "paid": money(order, paid), "due": money(order, balance),
    }
    return _render_form(
        model_admin, request, order, form=form,
        title=gettext("Register a payment for order %(number)s") % {"number": order.number},
        action_label=_("Register payment"),
        refusal=payment_refusal(order),
        intro=intro,
    )


def custom_status_view(model_admin, request, object_id, status_type):
    """GET: choose the order's status of one type. POST: set (or clear) it through the service."""
    if status_type not in CustomStatusType.values:
        raise Http404
    order = _get_order(model_admin, request, object_id)
    if not request.user.has_perm(CUSTOM_STATUS_PERMISSION):
        raise PermissionDenied
    type_label = CustomStatusType(status_type).label
    row = next(row for row in custom_status_rows(request, order) if row.type == status_type)
    form = CustomStatusForm(
        request.POST if request.method == "POST" else None, order=order, choices=row.choices,
        current=row.current.code if row.current else "",
    )
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["status"]
        values = {"number": order.number, "type": str(type_label).lower()}
        try:
            if code:
                services.set_custom_status(
                    order, by=request.user, status_type=status_type, code=code,
                    notify_customer=form.cleaned_data["notify_customer"],
                )
            else:
                services.clear_custom_status(order, by=request.user, status_type=status_type)
        except (TransitionNotAllowed, CustomStatusNotFound) as refused:
            form.add_error(None, str(refused))
        else:
            if row.current is not None and row.current.code == code:
                messages.info(request, gettext("Order %(number)s already has this %(type)s status.") % values)
            elif code:
                status = CustomStatus.objects.get(type=status_type, code=code)
                messages.success(request, gettext("Order %(number)s: %(type)s status set to “%(status)s”.") % {
                    **values, "status": status.label,
                })
            else:
                messages.success(request, gettext("Order %(number)s: %(type)s status cleared.") % values)
            return HttpResponseRedirect(_change_url(order))
    return _render_form(
        model_admin, request, order, form=form,
        title=gettext("Set the %(type)s status of order %(number)s") % {
            "type": str(type_label).lower(), "number": order.number,
        },
        action_label=_("Set status"),
        refusal=custom_status_refusal(order),
        intro=gettext("Custom statuses never change the order's status or payment; they inform the staff "
                      "and, if you choose, the customer."),
    )


def sheet_view(model_admin, request, object_id):
    """The printable order sheet: everything needed to prepare and hand over the order."""
    order = _get_order(model_admin, request, object_id)
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
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "order": order,
        "title": gettext("Order %(number)s") % {"number": order.number},
        "lines": lines,
        "payments": payments,
        "events": events,
        "totals": {
            "lines_total": money(order, order.lines_total),
            "shipping_cost": money(order, order.shipping_cost),
            "total": money(order, order.total),
            "paid": money(order, paid),
            "due": money(order, max(order.total - paid, Decimal("0"))),
        },
        "next_step": next_step.label if next_step else "",
        "order_url": _change_url(order),
    }
    return TemplateResponse(request, "orders/order_sheet.html", context)
