from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """No table: the admin's handle on the report (its index entry, its URLs, its permission).

    The numbers are read from `orders.OrderEvent`; see analytics/report.py.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_report", _("Can view the analytics report"))]
        verbose_name = _("orders by status")
        verbose_name_plural = _("orders by status")


class DailyStatusCount(models.Model):
    """How many orders entered a status on a closed store day, per payment method and storefront
    (analytics/rollup.py fills it; the report adds today's live count). An order has one payment
    method and one storefront, so summing over them counts each order once."""

    day = models.DateField(_("day"))
    to_status = models.CharField(_("status"), max_length=20, blank=True)  # a core status; "" for a custom one
    custom_status = models.ForeignKey(
        "orders.CustomStatus", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("custom status"),
    )
    payment_method = models.CharField(_("payment method"), max_length=20)
    storefront = models.ForeignKey(
        "storefronts.Storefront", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("storefront"),
    )
    orders = models.PositiveIntegerField(_("orders"))

    class Meta:
        verbose_name = _("daily status count")
        verbose_name_plural = _("daily status counts")
        indexes = [models.Index(fields=["day"], name="analytics_daily_day_idx")]


class RolledUpDay(models.Model):
    """A closed day whose counts are in DailyStatusCount."""

    day = models.DateField(_("day"), primary_key=True)
    rolled_up_at = models.DateTimeField(_("rolled up at"), auto_now=True)

    class Meta:
        verbose_name = _("rolled-up day")
        verbose_name_plural = _("rolled-up days")


class DurationPair(models.Model):
    """A pair of statuses the report was asked to measure ("accepted>shipped"; analytics/durations.py),
    whose times are kept in StatusDuration for every closed day through `through`."""

    pair = models.CharField(_("statuses"), max_length=60, primary_key=True)
    through = models.DateField(_("kept through"), null=True, blank=True)
    asked_on = models.DateField(_("last asked on"))

    class Meta:
        verbose_name = _("measured pair of statuses")
        verbose_name_plural = _("measured pairs of statuses")


class StatusDuration(models.Model):
    """How long an order took from one entry into the first status of a pair to its first entry into
    the second after it (analytics/durations.py), kept once that happened on a closed day, with what
    the report filters it by. An order that entered the first status again has a row per entry."""

    pair = models.CharField(_("statuses"), max_length=60)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("order"),
    )
    started_at = models.DateTimeField(_("entered the first status"))
    previous_start_at = models.DateTimeField(_("entered the first status before"), null=True, blank=True)
    reached_at = models.DateTimeField(_("entered the second status"))
    payment_method = models.CharField(_("payment method"), max_length=20)
    # The order's storefront. Not a constraint: a storefront with orders cannot be deleted, and the rows
    # go with their order; deleting an unused storefront need not scan this table.
    storefront = models.ForeignKey(
        "storefronts.Storefront", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
        related_name="+", db_index=False, verbose_name=_("storefront"),
    )
    seconds = models.FloatField(_("seconds"))

    class Meta:
        verbose_name = _("time between two statuses")
        verbose_name_plural = _("times between two statuses")
        constraints = [
            # One time per entry; also the index an order's deletion reads.
            models.UniqueConstraint(fields=["order", "pair", "started_at"], name="analytics_duration_entry_uniq"),
        ]
        indexes = [
            # The report reads a pair's days with everything it filters and sorts in the index
            # (an index-only scan on PostgreSQL; the included columns are left out elsewhere).
            models.Index(
                fields=["pair", "reached_at"],
                include=["started_at", "previous_start_at", "payment_method", "storefront", "seconds"],
                name="analytics_duration_pair_idx",
            ),
        ]
