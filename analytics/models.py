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
