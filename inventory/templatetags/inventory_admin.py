from django import template

from ..models import StockItem

register = template.Library()

SHOWN = 8


@register.inclusion_tag("inventory/admin/low_stock_widget.html", takes_context=True)
def low_stock_widget(context):
    """The admin index box of tracked products at or below their low-stock alert level."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_active or not user.is_staff or not user.has_perm("inventory.view_stockitem"):
        return {"show": False}
    low = StockItem.objects.low().order_by("quantity", "sku")
    items = list(low[:SHOWN])
    return {
        "show": True,
        "items": items,
        "count": low.count() if len(items) == SHOWN else len(items),
    }
