from django.contrib import admin

from .models import Storefront


@admin.register(Storefront)
class StorefrontAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "created_at"]
    list_filter = ["platform"]
    search_fields = ["name"]
    readonly_fields = ["user", "created_at"]
