from django.contrib import admin

from .models import Carrier


@admin.register(Carrier)
class CarrierAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "tracking_url_template", "tracking_code_example", "active"]
    list_filter = ["active"]
    search_fields = ["name", "code"]
    list_editable = ["active"]
