from datetime import timedelta
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone, translation

register = template.Library()

# Without a "seen" mark yet, a staff member sees the orders of the last few days.
FIRST_LOOK_DAYS = 3
SHOWN = 8


@register.inclusion_tag("admin/notifications/new_order_notices.html", takes_context=True)
def new_order_notices(context):
    """The admin index notice of new orders the staff member has not marked as seen."""
    from orders.models import Order

    from ..models import NewOrderNoticeState

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_active or not user.is_staff or not user.has_perm("orders.view_order"):
        return {"show": False}
    state = NewOrderNoticeState.objects.filter(user=user).first()
    since = state.seen_until if state else timezone.now() - timedelta(days=FIRST_LOOK_DAYS)
    new_orders = Order.objects.filter(created_at__gt=since).order_by("-created_at")
    orders = list(new_orders[:SHOWN])
    return {
        "show": True,
        "rows": [{"order": o, "total": o.format_money(o.total, translation.get_language())} for o in orders],
        "count": new_orders.count() if len(orders) == SHOWN else len(orders),
        # All of them in the order list, where the notice shows only the latest.
        "list_url": reverse("admin:orders_order_changelist") + "?" + urlencode({"created_at__gt": since.isoformat()}),
        # Marking as seen covers what is shown, not orders that arrive after the page was drawn.
        "seen_until": orders[0].created_at.isoformat() if orders else "",
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
