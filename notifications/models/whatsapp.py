"""The WhatsApp templates as Meta approved them: per milestone (or notification rule) and language,
the template's name, Meta's language code, its approved text and which of our message fields fill
its numbered parameters ({{1}}, {{2}}...)."""
from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.models import Language

from .choices import LOG_MILESTONE_CHOICES, RULE
from .templates import KeptByRendering

TEMPLATE_NAME = re.compile(r"[a-z0-9_]{1,512}")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?")
PLACEHOLDER = re.compile(r"\{\{\s*(\d+)\s*\}\}")


class WhatsAppTemplate(KeptByRendering, models.Model):
    """The Meta-approved template a milestone (or a rule) sends in one of our languages."""

    milestone = models.CharField(_("milestone"), max_length=30, choices=LOG_MILESTONE_CHOICES)
    rule = models.ForeignKey(
        "notifications.NotificationRule", on_delete=models.CASCADE, null=True, blank=True,
        related_name="whatsapp_templates", verbose_name=_("rule"),
        help_text=_("Only for a WhatsApp notification rule (milestone “Notification rule”)."),
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices,
        help_text=_("The customers' language this template is sent to."),
    )
    name = models.CharField(
        _("template name"), max_length=512,
        help_text=_("The template's name exactly as in WhatsApp Manager (lower case, digits and _)."),
    )
    language_code = models.CharField(
        _("Meta language code"), max_length=10,
        help_text=_("The language the template was approved in, as Meta writes it: es_AR, pt_BR, en…"),
    )
    text = models.TextField(
        _("approved text"), blank=True,
        help_text=_("The template's body as Meta approved it, with {{1}}, {{2}}… where the parameters go: the "
                    "preview and the log show it filled in."),
    )
    parameters = models.JSONField(
        _("parameters"), default=list, blank=True,
        help_text=_("The message field that fills each numbered parameter, in order: the first fills {{1}}."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        ordering = ["milestone", "rule", "language"]
        verbose_name = _("WhatsApp template")
        verbose_name_plural = _("WhatsApp templates")
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "language"], condition=Q(rule__isnull=True), name="whatsapp_template_once",
            ),
            models.UniqueConstraint(
                fields=["rule", "language"], condition=Q(rule__isnull=False), name="whatsapp_rule_template_once",
            ),
            models.CheckConstraint(
                condition=(Q(rule__isnull=True) & ~Q(milestone=RULE)) | Q(rule__isnull=False, milestone=RULE),
                name="whatsapp_template_rule_rows_are_rule_milestone",
                violation_error_message=_("A rule's template names its rule, with the milestone “Notification "
                                          "rule”; a milestone's template names no rule."),
            ),
        ]

    def __str__(self):
        what = self.rule or self.get_milestone_display()
        return f"{what} · {self.get_language_display()} · {self.name} ({self.language_code})"

    def clean(self):
        from ..kinds import fields_for

        from ..defaults import MILESTONE_CHANNELS

        errors: dict[str, list] = {}
        if self.milestone != RULE and "whatsapp" not in MILESTONE_CHANNELS.get(self.milestone, ()):
            errors.setdefault("milestone", []).append(_("This milestone is never sent on WhatsApp."))
        if not TEMPLATE_NAME.fullmatch(self.name or ""):
            errors.setdefault("name", []).append(
                _("A template name has only lower-case letters, digits and underscores."))
        if not LANGUAGE_CODE.fullmatch(self.language_code or ""):
            errors.setdefault("language_code", []).append(
                _("Write Meta's language code, such as es_AR, pt_BR or en."))
        parameters = self.parameters if isinstance(self.parameters, list) else None
        if parameters is None or not all(isinstance(p, str) for p in parameters):
            errors.setdefault("parameters", []).append(_("The parameters are a list of message fields."))
        else:
            available = fields_for(self.milestone)  # a rule's template: every field (kinds.py)
            unknown = [p for p in parameters if p not in available]
            if unknown:
                errors.setdefault("parameters", []).append(
                    _("Unknown field(s): %(unknown)s. Available: %(available)s.")
                    % {"unknown": ", ".join(unknown), "available": ", ".join(available)}
                )
            numbers = sorted({int(n) for n in PLACEHOLDER.findall(self.text or "")})
            if self.text and numbers != list(range(1, len(parameters) + 1)):
                errors.setdefault("parameters", []).append(
                    _("The approved text has %(placeholders)s numbered parameters and %(fields)s fields fill "
                      "them: give one field for each of {{1}} to {{%(placeholders)s}}.")
                    % {"placeholders": len(numbers), "fields": len(parameters)}
                )
        if errors:
            raise ValidationError(errors)
