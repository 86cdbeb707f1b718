"""Project-wide system checks (`manage.py check`)."""
from django.conf import settings
from django.core.checks import Warning, register

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache": "in each process's memory",
    "django.core.cache.backends.dummy.DummyCache": "nowhere (the dummy cache)",
    "django.core.cache.backends.filebased.FileBasedCache": "in files on this machine only",
}


@register()
def shared_cache_in_production(app_configs=None, **kwargs):
    """Rate limits, API throttles and the worker's status live in the default cache: a cache each process
    (or machine) keeps for itself lets every worker count its own limit, and hides the task worker from
    the health check when the database is the task broker."""
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    where = PROCESS_LOCAL_CACHES.get(backend)
    if where is None:
        return []
    return [
        Warning(
            f"The default cache (CACHE_URL) keeps its entries {where}: rate limits and API throttles are "
            "counted per process, and /healthz cannot see the task worker through the database broker.",
            hint="Point CACHE_URL at a cache every process shares, e.g. redis://127.0.0.1:6379/1.",
            id="project.W001",
        )
    ]
