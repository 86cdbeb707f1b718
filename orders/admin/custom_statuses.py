"""Custom statuses in the admin: each order's, one row per type on the order page with the page
that sets or clears it; and the statuses themselves, which staff name, order and deactivate.

They never change the order's status or payment: orders/services/ sets them like any change.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as delete_selected_confirmed
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _, ngettext

from .. import services
from ..display import person_label
from ..forms import CustomStatusForm
from ..models import CUSTOM_STATUS_TYPE_ORDER, CustomStatus, CustomStatusType, Order, Status
from ..services import CustomStatusNotFound, TransitionNotAllowed
from .display import all_custom_statuses
from .pages import OrderPages, change_url


CUSTOM_STATUS_PERMISSION = "orders.set_custom_status"


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
    statuses = all_custom_statuses(request)
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


class CustomStatusViews(OrderPages):
    """Mixed into OrderAdmin: the page that sets one type's custom status (wired in its get_urls)."""

    def custom_status_view(self, request, object_id, status_type):
        """GET: choose the order's status of one type. POST: set (or clear) it through the service."""
        if status_type not in CustomStatusType.values:
            raise Http404
        order = self.page_order(request, object_id)
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
                return HttpResponseRedirect(change_url(order))
        return self.render_input_page(
            request, order, form=form,
            title=gettext("Set the %(type)s status of order %(number)s") % {
                "type": str(type_label).lower(), "number": order.number,
            },
            action_label=_("Set status"),
            refusal=custom_status_refusal(order),
            intro=gettext("Custom statuses never change the order's status or payment; they inform the staff "
                          "and, if you choose, the customer."),
        )


@admin.register(CustomStatus)
class CustomStatusAdmin(admin.ModelAdmin):
    """Staff name, reorder, add and deactivate custom statuses; one that orders used is never deleted."""

    list_display = [
        "label_display", "type", "code", "position", "include_in_analytics", "active", "orders_now",
    ]
    list_display_links = ["label_display"]
    list_editable = ["position", "include_in_analytics", "active"]
    list_filter = ["type", "active", "include_in_analytics"]
    search_fields = ["code", "name_en", "name_es", "name_pt_br"]
    ordering = ["type", "position", "id"]
    fields = [
        "type", "code", "name_es", "name_pt_br", "name_en", "position", "include_in_analytics", "active", "usage",
    ]
    actions = ["delete_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(orders_now=Count("order_statuses"))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_used():
            # Integrations and the orders' timelines refer to it by type and code.
            return ["type", "code", "usage"]
        return ["usage"]

    @admin.display(description=_("name"), ordering="name_es")
    def label_display(self, status):
        return status.label

    @admin.display(description=_("orders with it now"), ordering="orders_now")
    def orders_now(self, status):
        return status.orders_now

    @admin.display(description=_("use"))
    def usage(self, status):
        if status.pk is None or not status.is_used():
            return gettext("No order has used this status yet: it can still be deleted.")
        return self.used_sentence(status)

    @staticmethod
    def used_sentence(status) -> str:
        count = status.order_statuses.count()
        return ngettext(
            "“%(name)s” is the current status of %(count)d order and is kept in order timelines: it cannot be "
            "deleted. Deactivate it to stop its use.",
            "“%(name)s” is the current status of %(count)d orders and is kept in order timelines: it cannot be "
            "deleted. Deactivate it to stop its use.",
            count,
        ) % {"name": status.label, "count": count}

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_used():
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Delete the selected custom statuses"), permissions=["delete"])
    def delete_selected(self, request, queryset):
        used = [status for status in queryset if status.is_used()]
        if used:
            for status in used:
                self.message_user(request, self.used_sentence(status), messages.ERROR)
            return None
        return delete_selected_confirmed(self, request, queryset)
