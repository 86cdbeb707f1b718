"""The order list's bulk actions: accept, start preparing, set a custom status. Each selected order
goes through orders/services/ on its own; what moved is reported, and each refusal with its reason."""
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _, ngettext

from .. import services
from ..forms import BulkCustomStatusForm
from ..models import CUSTOM_STATUS_TYPE_ORDER, CustomStatus, OrderCustomStatus
from ..services import CustomStatusNotFound, TransitionNotAllowed
from .custom_statuses import CUSTOM_STATUS_PERMISSION


class BulkActions:
    """Mixed into OrderAdmin, which lists these in its `actions`."""

    def has_accept_permission(self, request):
        return request.user.has_perm("orders.accept_order")

    def has_prepare_permission(self, request):
        return request.user.has_perm("orders.prepare_order")

    def _bulk_move(self, request, queryset, move_name, report_moved) -> None:
        """Make the move on each selected order; report what moved and, order by order, what was
        refused and why. `report_moved(count)` gives the success message's text."""
        moved, refused = [], []
        for order in queryset.order_by("created_at", "id"):
            try:
                getattr(services, move_name)(order, by=request.user)
            except TransitionNotAllowed as error:
                refused.append((order.number, str(error)))
            except ValidationError as error:
                refused.append((order.number, " ".join(error.messages)))
            else:
                moved.append(order.number)
        if moved:
            self.message_user(
                request, report_moved(len(moved)) % {"count": len(moved), "numbers": ", ".join(moved)},
                messages.SUCCESS,
            )
        for number, reason in refused:
            self.message_user(request, f"{number}: {reason}", messages.WARNING)

    @admin.action(description=_("Accept the selected orders"), permissions=["accept"])
    def accept_selected(self, request, queryset):
        self._bulk_move(request, queryset, "accept", lambda count: ngettext(
            "%(count)d order accepted: %(numbers)s.", "%(count)d orders accepted: %(numbers)s.", count,
        ))

    def has_set_custom_status_permission(self, request):
        return request.user.has_perm(CUSTOM_STATUS_PERMISSION)

    @admin.action(description=_("Set a custom status"), permissions=["set_custom_status"])
    def set_custom_status_selected(self, request, queryset):
        """An intermediate page chooses the status; then each order gets it, and each refusal is reported."""
        statuses = sorted(
            CustomStatus.objects.filter(active=True),
            key=lambda status: (CUSTOM_STATUS_TYPE_ORDER[status.type], status.position, status.pk),
        )
        form = BulkCustomStatusForm(request.POST if "apply" in request.POST else None, statuses=statuses)
        if "apply" in request.POST and form.is_valid():
            self._bulk_set_custom_status(
                request, queryset, form.cleaned_data["status"], form.cleaned_data["notify_customer"]
            )
            return None
        orders = list(queryset.order_by("created_at", "id"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Set a custom status"),
            "subtitle": None,
            "form": form,
            "orders": orders,
            "action": "set_custom_status_selected",
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/orders/order/set_custom_status.html", context)

    def _bulk_set_custom_status(self, request, queryset, status: CustomStatus, notify_customer: bool) -> None:
        had_it = set(
            OrderCustomStatus.objects.filter(order__in=queryset, status=status).values_list("order_id", flat=True)
        )
        changed, unchanged, refused = [], [], []
        for order in queryset.order_by("created_at", "id"):
            if order.pk in had_it:
                unchanged.append(order.number)
                continue
            try:
                services.set_custom_status(
                    order, by=request.user, status_type=status.type, code=status.code,
                    notify_customer=notify_customer,
                )
            except (TransitionNotAllowed, CustomStatusNotFound) as error:
                refused.append((order.number, str(error)))
            else:
                changed.append(order.number)
        values = {"status": status.label, "numbers": ", ".join(changed), "count": len(changed)}
        if changed:
            self.message_user(request, ngettext(
                "%(count)d order now has the status “%(status)s”: %(numbers)s.",
                "%(count)d orders now have the status “%(status)s”: %(numbers)s.",
                len(changed),
            ) % values, messages.SUCCESS)
        if unchanged:
            self.message_user(request, ngettext(
                "%(numbers)s already had the status “%(status)s”.",
                "%(numbers)s already had the status “%(status)s”.",
                len(unchanged),
            ) % {**values, "numbers": ", ".join(unchanged)}, messages.INFO)
        for number, reason in refused:
            self.message_user(request, f"{number}: {reason}", messages.WARNING)

    @admin.action(description=_("Start preparing the selected orders"), permissions=["prepare"])
    def start_preparation_selected(self, request, queryset):
        self._bulk_move(request, queryset, "start_preparation", lambda count: ngettext(
            "%(count)d order in preparation: %(numbers)s.", "%(count)d orders in preparation: %(numbers)s.", count,
        ))
