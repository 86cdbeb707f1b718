"""Admin building blocks shared by the apps (not an app: nothing here is registered)."""
from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.formats import number_format
from django.utils.functional import cached_property


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list and pages to read, for records written only by the code (logs, ledgers, reports)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AtLeast(int):
    """A count that stopped at its cap: worth cap + 1 in comparisons and page arithmetic, shown as
    "10,000+" (grouped the active language's way) wherever the admin prints it."""

    def __new__(cls, cap: int):
        count = super().__new__(cls, cap + 1)
        count.cap = cap
        return count

    def __str__(self):
        return f"{number_format(self.cap, force_grouping=True)}+"

    def __html__(self):
        return str(self)


class CappedCountPaginator(Paginator):
    """Counts at most `cap` + 1 rows, so a list over a million rows does not count them all on every
    page: `SELECT COUNT(*) FROM (SELECT id ... LIMIT cap + 1)`, unordered. Beyond the cap the count
    is an AtLeast ("10,000+") and the pages stop just past it: staff filter or search instead."""

    cap = 10_000

    @cached_property
    def count(self):
        objects = self.object_list
        if not hasattr(objects, "values"):  # a list: its length costs nothing
            return super().count
        counted = objects.order_by().values("pk")[: self.cap + 1].count()
        return AtLeast(self.cap) if counted > self.cap else counted


class CappedCountAdmin(admin.ModelAdmin):
    """A list for a big table: one capped count per page (no second, unfiltered count)."""

    paginator = CappedCountPaginator
    show_full_result_count = False
