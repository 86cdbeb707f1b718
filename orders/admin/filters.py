"""The order list's own filter: orders still owing a look because they were sold without stock."""
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Status


# A cancelled order gave its units back to the stock: it owes nothing, staff have nothing to act on.
# orders/migrations/0008 has a partial index with this condition (PostgreSQL): keep them the same.
STILL_OVERSOLD = ~Q(oversold_skus=[]) & ~Q(status=Status.CANCELLED)


class OversoldFilter(admin.SimpleListFilter):
    """Orders that took a tracked SKU below zero (the inventory app writes `oversold_skus`)."""

    title = _("oversold")
    parameter_name = "oversold"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(STILL_OVERSOLD)
        if self.value() == "no":
            return queryset.exclude(STILL_OVERSOLD)
        return queryset
