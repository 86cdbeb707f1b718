"""Admin building blocks shared by the apps (not an app: nothing here is registered)."""
from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list and pages to read, for records written only by the code (logs, ledgers, reports)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
