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
