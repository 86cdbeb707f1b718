"""The words of the messages: what milestone templates and rule messages share, and the milestone
templates staff edit (one per milestone, channel and language)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from orders.models import Language

from .choices import Channel, Milestone


class KeptByRendering:
    """A model whose rows the message rendering keeps per process (rendering.py: texts, templates,
    switches): saving or deleting one drops the kept copies in this process at once."""

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from ..rendering import forget_cached

        forget_cached()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from ..rendering import forget_cached

        forget_cached()
        return result


class MessageText(models.Model):
    """The words of a message: what milestone templates and rule messages share.

    Rendered with Django's template language against a small context (see rendering.py) and
    validated the same way (`rendering.validate_template`). Subclasses say which `channel`
    and `milestone` the text is for.
    """

    subject = models.CharField(
        _("subject or title"), max_length=300, blank=True,
        help_text=_("Email subject or push notification title. Not used by SMS."),
    )
    body = models.TextField(_("message"), help_text=_("Email text, SMS text or push notification body."))
    html_body = models.TextField(
        _("HTML message"), blank=True, help_text=_("Optional HTML version of the email. Not used by SMS or push."),
    )
    url = models.CharField(
        _("link"), max_length=500, blank=True,
        help_text=_("Web push only: the page opened when the customer clicks the notification."),
    )
    gsm7_friendly = models.BooleanField(
        _("GSM-7 friendly"), default=False,
        help_text=_("SMS only: replace accents that GSM-7 lacks (á → a, ç → c) so the message costs fewer "
                    "segments."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        abstract = True

    def clean(self):
        from ..kinds import fields_for
        from ..rendering import validate_template

        validate_template(self, fields=fields_for(self.milestone))


class MessageTemplate(KeptByRendering, MessageText):
    """The words of one milestone on one channel in one language, editable by the staff."""

    milestone = models.CharField(_("milestone"), max_length=30, choices=Milestone.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)

    class Meta:
        ordering = ["milestone", "channel", "language"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(fields=["milestone", "channel", "language"], name="message_template_once"),
        ]

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.channel == Channel.WHATSAPP:
            raise ValidationError({"channel": _("WhatsApp sends the templates Meta approved: set them under "
                                                "WhatsApp templates.")})
        super().clean()

    def __str__(self):
        # "Shipped · SMS · Spanish": the milestone, channel and language as staff say them.
        return " · ".join(str(label) for label in (
            Milestone(self.milestone).label, Channel(self.channel).label, Language(self.language).label,
        ))
