"""What the message template and rule pages share: the fields a message may use, and the preview
of a message rendered with a real order (or checkout) and its SMS cost."""
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join

from ..kinds import kind_for_milestone
from ..models import Channel
from ..rendering import render_template


def fields_list(fields: dict) -> str:
    items = format_html_join(
        "", "<li><code>{{{{ {} }}}}</code> {}</li>", ((name, label) for name, label in fields.items())
    )
    return format_html("<ul style='margin-left:0'>{}</ul>", items)


def preview_response(model_admin, request, *, template, title, back_url, back_label, parent):
    """The preview page of a message (a milestone template or a rule's message) rendered with a real
    order (or, for the checkout recovery message, a real checkout: the message's kind says), with the
    SMS cost."""
    query = (request.GET.get("order") or "").strip()
    kind = kind_for_milestone(template.milestone)
    subject, recent = kind.preview_subject(query, template.milestone)
    rendered, error, cost = None, None, None
    if subject is not None:
        try:
            rendered = render_template(template, kind.context(subject, language=template.language))
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
        "is_checkout": kind.about_name == "checkout",
        "subject": subject,
        "subject_label": kind.reference(subject) if subject is not None else "",
        "subject_description": subject.customer_name if subject is not None else "",
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
