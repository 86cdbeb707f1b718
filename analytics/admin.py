"""The status report in the admin: how many orders entered each status per day, and how long orders
take from one status to another; a chart, a table and a CSV export.

It is a ModelAdmin on `analytics.Report`, an unmanaged model without a table. That gives the report
its place on the admin index and at /admin/analytics/ with nothing added to the root URLs, its
permission (`analytics.view_report`, granted to the *Order managers* group by `seed_reference_data`
from analytics/seeds.py) and the admin's own login and staff checks; the ModelAdmin's URLs are
replaced by the report's two pages: /admin/analytics/report/ (the page) and
/admin/analytics/report/csv/ (the export). Staff without the permission get 403.
"""
import csv

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy as _

from config.admin import ReadOnlyAdmin

from . import report
from .chart import Series, line_chart, style
from .forms import ReportForm
from .models import Report

VIEW_PERMISSION = "analytics.view_report"
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def format_duration(seconds: float | None) -> str:
    """A duration as staff read it: "2 d 5 h", "3 h 20 min", "12 min", "40 s"."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return gettext("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    if minutes:
        return gettext("%(minutes)d min") % {"minutes": minutes}
    return gettext("%(seconds)d s") % {"seconds": secs}


def table_body(result: report.StatusReport) -> SafeString:
    """The table's rows, a day each: what the template would write cell by cell, built here because a
    year's table has thousands of cells (each number localized once per value, not once per cell)."""
    numbers = {}

    def number(count: int) -> str:
        if count not in numbers:
            numbers[count] = conditional_escape(localize(count))
        return numbers[count]

    return mark_safe("".join(
        f'<tr><th scope="row">{conditional_escape(date_format(day, "SHORT_DATE_FORMAT"))}</th>'
        + "".join(f"<td>{number(count)}</td>" for count in counts) + "</tr>"
        for day, counts in result.table()
    ))


def csv_cell(value):
    """A cell a spreadsheet shows as text, never runs."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}".rstrip("0").rstrip(".")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_PERMISSION)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("", wrap(self.report_view), name="analytics_report_changelist"),
            path("csv/", wrap(self.csv_view), name="analytics_report_csv"),
        ]

    def _form(self, request) -> ReportForm:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return ReportForm(request.GET, options=report.status_options())

    def report_view(self, request):
        form = self._form(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Orders by status"),
            "form": form,
        }
        if form.is_valid():
            result = report.build(form.filters(), list(form.options.values()), form.status_pair())
            context.update(
                result=result,
                between_median=format_duration(result.between.median),
                between_p90=format_duration(result.between.p90),
                chart=self._chart(result),
                csv_url=f"{reverse('admin:analytics_report_csv')}?{form.data.urlencode()}",
                columns=[(row, style(row.style)[0]) for row in result.rows],
                table_body=table_body(result),
                time_zone=settings.TIME_ZONE,
            )
        return TemplateResponse(request, "admin/analytics/report.html", context)

    def _chart(self, result: report.StatusReport):
        start = date_format(result.filters.start, "SHORT_DATE_FORMAT")
        end = date_format(result.filters.end, "SHORT_DATE_FORMAT")
        if result.rows:
            totals = "; ".join(
                gettext("%(status)s: %(count)d") % {"status": row.option.name, "count": row.total}
                for row in result.rows
            )
            description = gettext(
                "A line per status over the days from %(start)s to %(end)s. Orders that entered each status "
                "in the period: %(totals)s. The table after the chart gives every number."
            ) % {"start": start, "end": end, "totals": totals}
        else:
            description = gettext("No order entered a counted status from %(start)s to %(end)s.") % {
                "start": start, "end": end,
            }
        return line_chart(
            days=result.days,
            series=[Series(name=row.option.name, values=row.counts, style=row.style) for row in result.rows],
            title=gettext("Orders that entered each status, per day"),
            description=description,
        )

    def csv_view(self, request):
        form = self._form(request)
        if not form.is_valid():
            errors = " ".join(str(message) for messages in form.errors.values() for message in messages)
            return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
        filters = form.filters()
        result = report.build(filters, list(form.options.values()), form.status_pair())
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="orders-by-status_{filters.start.isoformat()}_{filters.end.isoformat()}.csv"'
        )
        response.write("\ufeff")  # so spreadsheets read the accents as UTF-8
        writer = csv.writer(response)
        writer.writerow(["day", "status_type", "status_code", "status_name", "orders"])
        for day, counts in result.table():
            for row, count in zip(result.rows, counts):
                writer.writerow([csv_cell(value) for value in (
                    day.isoformat(), row.option.type, row.option.code, row.option.name, count,
                )])
        between = result.between
        writer.writerow([])
        writer.writerow([
            "from_status", "from_status_name", "to_status", "to_status_name", "orders_measured",
            "median_seconds", "p90_seconds",
        ])
        writer.writerow([csv_cell(value) for value in (
            between.start.key, between.start.name, between.end.key, between.end.name, between.orders,
            csv_seconds(between.median), csv_seconds(between.p90),
        )])
        return response
