"""Admin building blocks shared by the apps (not an app: nothing here is registered)."""
from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.core.paginator import Paginator
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import number_format
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy as _

from .translated import text


class BackOfficeSite(admin.AdminSite):
    """The admin site (`admin.site`, through config.apps.BackOfficeAdminConfig).

    The back office has no public home page for "View site" to open (it was a 404): no such link. The
    app list beside every page is off too: at 1366 px it took the width the order list and the log
    need (the index and the breadcrumbs lead everywhere it did)."""

    site_url = None
    enable_nav_sidebar = False
    site_header = site_title = _("Order back office")

    def get_app_list(self, request, app_label=None):
        # Every page's context carries the app list for that sidebar: built (every model's
        # permissions, addresses and translated names) only where a page reads it, the index's.
        build = super().get_app_list
        return SimpleLazyObject(lambda: build(request, app_label))


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
    is an AtLeast ("10,000+") and the pages stop just past it: staff filter or search instead.

    A search counts to `search_cap` ("1,000+"): a filter's count reads an index alone, while each row
    a search finds is read from the table to check it (a common surname matches one order in thirty:
    10,001 rows took about 55 ms at a million orders, 1,001 take a tenth of that)."""

    cap = 10_000
    search_cap = 1_000

    def __init__(self, *args, searching: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if searching:
            self.cap = self.search_cap

    @cached_property
    def count(self):
        objects = self.object_list
        if not hasattr(objects, "values"):  # a list: its length costs nothing
            return super().count
        counted = objects.order_by().values("pk")[: self.cap + 1].count()
        return AtLeast(self.cap) if counted > self.cap else counted


# (URL name, current app, URLconf, script prefix) -> the address around an object's id, or () when
# the id does not stand alone in it.
_addresses: dict = {}
_MARK = 918273645


def object_url(url_name: str, pk, current_app: str | None = None) -> str:
    """`reverse(url_name, args=[pk])` of an integer id, the address reversed once per process (a list
    reversed one per row, and the log two: the row's and its order's)."""
    if type(pk) is not int:
        return reverse(url_name, args=[pk], current_app=current_app)
    key = (url_name, current_app, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    parts = _addresses.get(key)
    if parts is None:
        url = reverse(url_name, args=[_MARK], current_app=current_app)
        parts = _addresses[key] = tuple(url.split(str(_MARK))) if url.count(str(_MARK)) == 1 else ()
    if not parts:
        return reverse(url_name, args=[pk], current_app=current_app)
    return f"{parts[0]}{pk}{parts[1]}"


@receiver(setting_changed)
def _forget_addresses(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _addresses.clear()


class CappedCountChangeList(ChangeList):
    """The page's rows read without the columns the list never shows (`list_defer`), and each row's
    link made from one reversed address, with the list's filters in it (to come back to the same
    list) worked out once per page: Django's items_for_result adds them itself by resolving every
    row's address again (add_preserved_filters), so the page hands it none to add."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.row_filters, self.preserved_filters = self.preserved_filters, ""

    def get_results(self, request):
        if self.model_admin.list_defer:
            self.queryset = self.queryset.defer(*self.model_admin.list_defer)
        super().get_results(request)

    def url_for_result(self, result):
        url = self._row_url(getattr(result, self.pk_attname))
        if not self.row_filters:
            return url
        if self._row_filters_query is None:
            return add_preserved_filters({"preserved_filters": self.row_filters, "opts": self.opts}, url)
        return url + self._row_filters_query

    def _row_url(self, pk) -> str:
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
        return object_url(name, pk, current_app=self.model_admin.admin_site.name)

    @cached_property
    def _row_filters_query(self) -> str | None:
        """What add_preserved_filters appends to a row's address ("?_changelist_filters=..."): the
        same for every row, whose addresses differ only in the id."""
        url = self._row_url(_MARK)
        linked = add_preserved_filters({"preserved_filters": self.row_filters, "opts": self.opts}, url)
        return linked[len(url):] if linked.startswith(url) else None


class CappedCountAdmin(admin.ModelAdmin):
    """A list for a big table: one capped count per page (no second, unfiltered count), a lower cap
    when searching, and rows written without a template or a translation look-up per cell."""

    paginator = CappedCountPaginator
    show_full_result_count = False
    # Columns the list's rows never read and that cost to load (long texts, phone numbers parsed
    # on loading): left out of the page's query, not out of the bulk actions' (an action may read them).
    list_defer: list[str] = []

    def get_changelist(self, request, **kwargs):
        return CappedCountChangeList

    def get_empty_value_display(self):
        # Django's makes the site's lazy "-" text again for each of the page's cells.
        return SafeString(text(getattr(self, "empty_value_display", self.admin_site.empty_value_display)))

    def action_checkbox(self, obj):
        """The row's checkbox for the bulk actions, the HTML Django's CheckboxInput writes, without
        rendering the widget's templates once per row (a third of the list's time, 50 rows a page)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME, obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        searching = bool(request.GET.get(SEARCH_VAR, "").strip())
        return self.paginator(queryset, per_page, orphans, allow_empty_first_page, searching=searching)
