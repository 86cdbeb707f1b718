"""The outbox row: what every kind of outbound work shares (see outbox/engine.py for the operations).

A concrete model extends `OutboxRow`, declares its own `status` choices (which must include
`QUEUED`) and its own message field (the reason or error it logs), and extends `OutboxRow.Meta` to
keep the due index:

    class Delivery(OutboxRow):
        class Status(models.TextChoices):
            QUEUED = QUEUED, ...
        status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)

        class Meta(OutboxRow.Meta):
            indexes = [*OutboxRow.Meta.indexes, ...]
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

# The one status the engine knows: a row waiting to be claimed. The others are each kind's own.
QUEUED = "queued"


class OutboxRow(models.Model):
    status = models.CharField(_("status"), max_length=10, default=QUEUED)
    # Claims made so far (a claim counts one, whether or not the worker reported back).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When the next attempt is due; the sweep re-enqueues queued rows overdue by the grace period.
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # A worker that claimed the row holds it until then (a second run of the task sends nothing).
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
        # The claim, the sweep and the retries look for queued rows by when they are due.
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="%(class)s_due_idx")]


class OutboxAttempt(models.Model):
    """One call to the other side for an outbox row: what it answered, or why it could not.

    A concrete model extends it with the foreign key to its row (named by `row_field`) and names the
    reasons its error codes read with (`outbox.reasons.Reasons`); the admin shows it with
    `outbox.admin.AttemptInline`:

        class Attempt(OutboxAttempt):
            row_field = "delivery"
            reasons = REASONS
            delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")

            class Meta(OutboxAttempt.Meta):
                verbose_name = _("delivery attempt")
    """

    row_field = ""
    reasons = None

    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("time"))
    response_status = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    response_body = models.TextField(_("response body"), blank=True)
    # Why it failed: a code of the kind's reasons, and the detail (the text before codes: the detail alone).
    error_code = models.CharField(_("error code"), max_length=30, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True
        ordering = ["started_at", "id"]

    def __str__(self):
        return f"{getattr(self, self.row_field + '_id', '')} #{self.number}"

    @property
    def error_text(self) -> str:
        """Why it failed, in the active language (the reader's)."""
        if self.reasons is None:
            return self.error
        return self.reasons.sentence(self.error_code, self.error)
