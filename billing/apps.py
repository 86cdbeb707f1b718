from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("SMS credits")

    def ready(self):
        from . import receivers

        post_migrate.connect(receivers.set_up_after_migrate, sender=self, dispatch_uid="billing.set_up_after_migrate")
