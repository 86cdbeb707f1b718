from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project itself as an app, so its system checks (config/checks.py) register at start-up."""

    name = "config"
    label = "project"
    verbose_name = "Project"

    def ready(self):
        from . import checks  # noqa: F401 (registers itself)
