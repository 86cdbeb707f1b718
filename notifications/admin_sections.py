"""The *Messages to the customer* section of the staff's order page (provided to orders.page_sections):
the order's log rows, newest first, each with its status as the providers reported it (delivered,
read, undelivered...) and the reason, linked to its page in the log. Shown to staff who may view the
log, while the log keeps the rows (NOTIFICATION_LOG_RETENTION_DAYS)."""
from django.template.loader import render_to_string

from .admin.log import status_label
from .models import Notification

PERMISSION = "notifications.view_notification"


def order_section(request, order) -> str:
    if not request.user.has_perm(PERMISSION):
        return ""
    found = list(Notification.objects.filter(order=order).select_related("order", "rule").order_by("-created_at", "-id"))
    if not found:
        return ""
    rows = [
        {"row": row, "what": row.what_label, "status": status_label(row), "reason": row.reason} for row in found
    ]
    return render_to_string("notifications/admin/order_section.html", {"notification_rows": rows}, request=request)
