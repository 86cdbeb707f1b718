"""The daily notification counts (kept after the log rows are purged), read-only."""
from django.contrib import admin

from config.admin import ReadOnlyAdmin

from ..models import DailyNotificationCount


@admin.register(DailyNotificationCount)
class DailyNotificationCountAdmin(ReadOnlyAdmin):
    list_display = ["day", "milestone", "channel", "status", "count"]
    list_filter = ["milestone", "channel", "status", ("day", admin.DateFieldListFilter)]
    date_hierarchy = "day"
