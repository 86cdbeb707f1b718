"""Settings, read from the environment (and an optional `.env` file) with django-environ.

Every variable is documented in `.env.example` and in the README's settings table. `base` holds the
project's own (Django, security, database, email, task queue, cache); `apps` the apps' settings.
"""
from .base import *  # noqa: F401,F403
from .apps import *  # noqa: F401,F403
