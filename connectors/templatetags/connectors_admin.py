from django import template

from ..models import OrderLink, PlatformAccount, PlatformEvent, WriteBack

register = template.Library()


@register.inclusion_tag("admin/connectors/attention_widget.html", takes_context=True)
def connected_stores_attention(context):
    """The admin index box of what the connected stores need from the staff (nothing shown when all is well)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_active or not user.is_staff or not user.has_perm("connectors.view_platformevent"):
        return {"show": False}
    # Platform orders kept aside (one however many of their events wait), and events held for another
    # reason (a refused token, before any order was read).
    held = OrderLink.objects.exclude(problem="").count() + PlatformEvent.objects.filter(
        status=PlatformEvent.Status.HELD, link__isnull=True).count()
    failed_events = PlatformEvent.objects.filter(status=PlatformEvent.Status.FAILED).count()
    failed_write_backs = WriteBack.objects.filter(status=WriteBack.Status.FAILED).count()
    accounts = list(PlatformAccount.objects.select_related("storefront").exclude(problem="", active=True)[:5])
    return {
        "show": bool(held or failed_events or failed_write_backs or accounts),
        "held": held, "failed_events": failed_events, "failed_write_backs": failed_write_backs, "accounts": accounts,
    }
