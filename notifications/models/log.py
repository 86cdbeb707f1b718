"""The notification log row: one message to one recipient on one channel, the outbox row that
sends it, and its "exactly once" write (`Notification.objects.insert_new`)."""
from __future__ import annotations

from django.db import connections, models, router
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from config.translated import ChoiceLabels, choice_labels
from outbox.models import QUEUED, OutboxRow

from ..reasons import Reason, sentence
from .choices import LOG_MILESTONE_CHOICES, RULE, Channel


class NotificationQuerySet(models.QuerySet):
    def for_log(self):
        return self.select_related("order", "checkout", "rule")

    def insert_new(self, rows: list[Notification]) -> list[Notification]:
        """Insert the rows that no row in the table already stands for, in one statement.

        `INSERT ... ON CONFLICT DO NOTHING RETURNING`: a row whose (order, milestone, channel),
        (order, rule, channel), (refund, channel), (checkout, milestone, channel) or (source, milestone,
        channel) is taken, by a committed row or
        by a transaction still running (which it waits for), is left out. Returns the rows
        inserted, with their ids and timestamps set; the others are not touched. This is the
        outbox's "exactly once" write: one round trip for all of a milestone's channels, where
        get_or_create took four per channel (SELECT, SAVEPOINT, INSERT, RELEASE).
        """
        unique = {}
        for row in rows:  # one statement must not hold two rows for one key
            unique.setdefault(
                _outbox_key(
                    row.order_id, row.checkout_id, row.milestone, row.rule_id, row.refund_id, row.channel, row.source,
                ), row
            )
        rows = list(unique.values())
        if not rows:
            return []
        meta = self.model._meta
        using = self._db or router.db_for_write(self.model)
        connection = connections[using]
        qn = connection.ops.quote_name
        fields = [field for field in meta.concrete_fields if not field.primary_key]
        params = []
        for row in rows:
            for field in fields:
                params.append(field.get_db_prep_save(field.pre_save(row, True), connection))
        values = "(" + ", ".join(["%s"] * len(fields)) + ")"
        key_columns = [
            meta.get_field(name).column
            for name in ("order", "checkout", "milestone", "rule", "refund", "channel", "source")
        ]
        sql = (
            f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
            f"VALUES {', '.join([values] * len(rows))} ON CONFLICT DO NOTHING "
            f"RETURNING {qn(meta.pk.column)}, {', '.join(qn(c) for c in key_columns)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            returned = cursor.fetchall()
        inserted = []
        for pk, *key in returned:
            row = unique[_outbox_key(*key)]
            row.pk = pk
            row._state.adding = False
            row._state.db = using
            inserted.append(row)
        return inserted


def _outbox_key(order_id, checkout_id, milestone, rule_id, refund_id, channel, source) -> tuple:
    return (order_id, checkout_id, milestone, rule_id, refund_id, channel, source)


class Notification(ChoiceLabels, OutboxRow):
    """One message to one recipient on one channel: the outbox row and the log line.

    Its lifecycle (claim, retries, sweep, purge) is the outbox engine's: see notifications/outbox.py.
    """

    class Status(models.TextChoices):
        QUEUED = QUEUED, _("Queued")
        SENT = "sent", _("Sent")
        # The provider's delivery reports after sending (services/receipts.py).
        DELIVERED = "delivered", pgettext_lazy("notification", "Delivered")
        READ = "read", pgettext_lazy("notification", "Read")
        UNDELIVERED = "undelivered", pgettext_lazy("notification", "Undelivered")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    # Exactly one of order and checkout (a checkout recovery message has no order yet), or neither for
    # an app's message about something else (`source`).
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications",
        verbose_name=_("order"),
    )
    checkout = models.ForeignKey(
        "checkouts.Checkout", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications",
        verbose_name=_("checkout"),
    )
    # A milestone, "rule", or the code of a kind an app registered (notifications/app_kinds.py).
    milestone = models.CharField(_("milestone"), max_length=30, choices=LOG_MILESTONE_CHOICES)
    # What an app's message is about when it is neither an order nor a checkout ("platform-event:12").
    # Empty in the database too, for rows written by SQL that does not name it (the bulk loads).
    source = models.CharField(_("about"), max_length=100, blank=True, default="", db_default="")
    # Set (with milestone "rule") when a staff-made notification rule wrote the row. A rule with
    # rows in the log cannot be deleted: deactivate it.
    rule = models.ForeignKey(
        "notifications.NotificationRule", on_delete=models.PROTECT, null=True, blank=True,
        related_name="notifications", verbose_name=_("rule"),
    )
    # Set (with milestone "refunded") on the message telling of one refund: each refund tells the
    # customer once, whatever refunds came before it.
    refund = models.ForeignKey(
        "orders.Refund", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications",
        verbose_name=_("refund"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    # Why it was skipped, failed or waits for a retry (notifications/reasons.py); `reason` tells it.
    reason_code = models.CharField(_("reason"), max_length=30, choices=Reason.choices, blank=True)
    reason_detail = models.TextField(_("reason detail"), blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    fallback_for = models.CharField(
        _("fallback for"), max_length=10, choices=Channel.choices, blank=True,
        help_text=_("Sent on this channel because the named channel could not reach the customer."),
    )
    language = models.CharField(_("language"), max_length=5, blank=True)
    subject = models.CharField(_("subject or title"), max_length=300, blank=True)
    body = models.TextField(_("message"), blank=True)
    # When the provider's last report that moved `status` on (delivered, read, undelivered, failed) happened.
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    # The recipient marked the email as spam (the provider's complaint report); the status stays as reported.
    complained_at = models.DateTimeField(_("marked as spam at"), null=True, blank=True)
    # A staff resend: a new row, addressed and rendered afresh, beside the row it was resent from.
    resent_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="resends",
        verbose_name=_("resent from"),
    )

    objects = NotificationQuerySet.as_manager()

    class Meta(OutboxRow.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notification log")
        constraints = [
            # Exactly once per (order, milestone, channel), per (order, rule, channel), per (refund,
            # channel), per (checkout, milestone, channel) and per (source, milestone, channel): the
            # outbox writers rely on these.
            # A staff resend is a row of its own, outside these promises.
            models.UniqueConstraint(
                fields=["order", "milestone", "channel"],
                condition=Q(rule__isnull=True, refund__isnull=True, order__isnull=False, resent_from__isnull=True),
                name="notification_once_per_channel",
            ),
            models.UniqueConstraint(
                fields=["refund", "channel"], condition=Q(refund__isnull=False, resent_from__isnull=True),
                name="notification_once_per_refund_and_channel",
            ),
            models.UniqueConstraint(
                fields=["order", "rule", "channel"], condition=Q(rule__isnull=False, resent_from__isnull=True),
                name="notification_once_per_rule_and_channel",
            ),
            models.UniqueConstraint(
                fields=["checkout", "milestone", "channel"],
                condition=Q(checkout__isnull=False, resent_from__isnull=True),
                name="notification_once_per_checkout_and_channel",
            ),
            models.UniqueConstraint(
                fields=["source", "milestone", "channel"], condition=~Q(source="") & Q(resent_from__isnull=True),
                name="notification_once_per_source_and_channel",
            ),
            models.CheckConstraint(
                condition=Q(order__isnull=False, checkout__isnull=True) | Q(order__isnull=True, checkout__isnull=False)
                | (Q(order__isnull=True, checkout__isnull=True) & ~Q(source="")),
                name="notification_order_or_checkout",
            ),
            models.CheckConstraint(
                condition=(Q(rule__isnull=True) & ~Q(milestone=RULE))
                | Q(rule__isnull=False, milestone=RULE, order__isnull=False),
                name="notification_rule_rows_are_rule_milestone",
            ),
            models.CheckConstraint(
                condition=Q(refund__isnull=True) | Q(milestone="refunded", order__isnull=False),
                name="notification_refund_rows_are_refunded_milestone",
            ),
        ]
        indexes = [
            *OutboxRow.Meta.indexes,  # notification_due_idx
            models.Index(fields=["channel", "provider_message_id"], name="notification_provider_id_idx"),
            # The log's page, newest first, whole or filtered by status (notifications/admin/log.py).
            models.Index(fields=["created_at", "id"], name="notification_log_idx"),
            models.Index(fields=["status", "created_at", "id"], name="notification_log_status_idx"),
        ]
        permissions = [("resend_notification", _("Can resend notifications"))]

    def __str__(self):
        from ..kinds import kind_of

        # What staff read as the page's title: "Cancelled · Email · Order K7QH-2M9X · Sent".
        kind = kind_of(self)
        return " · ".join([kind.label(self), str(self.get_channel_display()), kind.describe(self),
                           str(self.get_status_display())])

    @property
    def reason(self) -> str:
        """Why it was skipped, failed or waits, in the active language (the reader's)."""
        return sentence(self.reason_code, self.reason_detail, attempts=self.attempts)

    def get_milestone_display(self) -> str:
        """The milestone as staff read it; an app's kind of message by its own label."""
        from ..kinds import registered_kinds

        registered = registered_kinds().get(self.milestone)
        if registered is not None:
            return str(registered.verbose_name)
        return choice_labels(self._meta.get_field("milestone")).get(self.milestone, self.milestone)

    @property
    def what_label(self) -> str:
        """The milestone, or the rule's name, as staff read it in the log."""
        from ..kinds import kind_of

        return kind_of(self).label(self)
