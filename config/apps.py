from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class ProjectConfig(AppConfig):
    """The project itself as an app, so its system checks (config/checks.py) register at start-up."""

    name = "config"
    label = "project"
    verbose_name = "Project"

    def ready(self):
        from . import checks  # noqa: F401 (registers itself)


class BackOfficeAdminConfig(AdminConfig):
    """Django's admin with the back office's site (config/admin.py, BackOfficeSite) as `admin.site`."""

    default_site = "config.admin.BackOfficeSite"
