from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckoutsConfig(AppConfig):
    name = "checkouts"
    verbose_name = _("Abandoned checkouts")
    default_auto_field = "django.db.models.BigAutoField"
