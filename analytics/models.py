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
