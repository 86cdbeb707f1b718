"""What the message template and rule pages share: the fields a message may use, and the preview
of a message rendered with a real order (or checkout) and its SMS cost."""
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join

from checkouts.models import Checkout
from orders.models import Order

from ..models import Channel, Milestone
from ..rendering import checkout_context, message_context, render_template


def fields_list(fields: dict) -> str:
    items = format_html_join(
        "", "<li><code>{{{{ {} }}}}</code> {}</li>", ((name, label) for name, label in fields.items())
    )
    return format_html("<ul style='margin-left:0'>{}</ul>", items)



def preview_response(model_admin, request, *, template, title, back_url, back_label, parent):
    """The preview page of a message (a milestone template or a rule's message) rendered with a real
    order (or, for the checkout recovery message, a real checkout), with the SMS cost."""
    query = (request.GET.get("order") or "").strip()
    # An id is ASCII digits: "²" and other Unicode digits pass isdigit() but int() refuses them.
    is_id = query.isascii() and query.isdigit()
    if template.milestone == Milestone.CHECKOUT_RECOVERY:
        subjects = Checkout.objects.order_by("-created_at", "-id")
        match = Q(external_id=query) | (Q(pk=int(query)) if is_id else Q(pk__in=[]))
        subject = subjects.filter(match).first() if query else subjects.first()
        recent = [(c.external_id, f"{c.customer_name} · {c.get_status_display()}") for c in subjects[:20]]
        label = subject.external_id if subject is not None else ""
        description = subject.customer_name if subject is not None else ""
        get_context = checkout_context
    else:
        orders = Order.objects.for_list()
        if query:
            match = Q(number__iexact=query)
            if is_id:
                match |= Q(pk=int(query))
            subject = orders.filter(match).first()
        else:
            subject = _example_order(template.milestone)
        latest = orders.order_by("-created_at")[:20]
        recent = [(o.number, f"{o.customer_name} · {o.get_status_display()}") for o in latest]
        label = subject.number if subject is not None else ""
        description = subject.customer_name if subject is not None else ""
        get_context = message_context
    rendered, error, cost = None, None, None
    if subject is not None:
        try:
            rendered = render_template(template, get_context(subject, language=template.language))
        except Exception as exc:  # a template error shown to the staff member who wrote it
            error = str(exc)
        if rendered is not None and template.channel == Channel.SMS:
            from billing.sms import cost_preview

            cost = cost_preview(rendered.body)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        "template_obj": template,
        "is_checkout": template.milestone == Milestone.CHECKOUT_RECOVERY,
        "subject": subject,
        "subject_label": label,
        "subject_description": description,
        "query": query,
        "recent": recent,
        "rendered": rendered,
        "error": error,
        "cost": cost,
        "back_url": back_url,
        "back_label": back_label,
        "parent": parent,
    }
    return TemplateResponse(request, "admin/notifications/messagetemplate/preview.html", context)


def _example_order(milestone: str):
    """A real order that suits the milestone (a shipped one for `shipped`), else the latest."""
    orders = Order.objects.for_list().order_by("-created_at")
    if milestone == Milestone.SHIPPED:
        return orders.exclude(tracking_code="").first() or orders.first()
    if milestone == Milestone.READY_FOR_PICKUP:
        return orders.exclude(pickup_point="").first() or orders.first()
    if milestone == Milestone.REFUNDED:
        return orders.filter(refunds__isnull=False).first() or orders.first()
    return orders.first()
