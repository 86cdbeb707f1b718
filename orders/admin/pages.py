"""What the pages under an order's admin address share: the order they are about, the page that
asks for a change's input (a move, a payment, a refund, a custom status), and the buttons to them."""
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from ..display import money
from ..models import Order


@dataclass(frozen=True)
class Button:
    """One button on the order page: where it goes, or why it is disabled."""

    name: str
    label: Any
    url: str
    reason: str | None
    danger: bool = False

    @property
    def enabled(self) -> bool:
        return self.reason is None


def change_url(order: Order) -> str:
    return reverse("admin:orders_order_change", args=[order.pk])


class OrderPages:
    """Mixed into OrderAdmin, whose get_urls serves the pages built on it."""

    def page_order(self, request, object_id) -> Order:
        """The order of the page's address, if the staff member may see it (else 404 or 403)."""
        order = self.get_object(request, unquote(object_id))
        if order is None:
            raise Http404(gettext("This order does not exist."))
        if not self.has_view_or_change_permission(request, order):
            raise PermissionDenied
        return order

    def render_input_page(self, request, order, *, form, title, action_label, refusal, danger=False, intro=None):
        """The page with a change's small form, the reason it is refused now (if it is) and a way back."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": order,
            "order": order,
            "title": title,
            "subtitle": None,
            "form": form,
            "media": self.media + form.media,
            "action_label": action_label,
            "refusal": refusal,
            "danger": danger,
            "intro": intro,
            "order_url": change_url(order),
            "total_display": money(order, order.total),
            "has_view_permission": self.has_view_permission(request, order),
        }
        return TemplateResponse(request, "admin/orders/order/move_form.html", context)
