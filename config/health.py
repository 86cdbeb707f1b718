"""`GET /healthz`: is this deployment able to take orders? For load balancers and uptime monitors.

200 when the database, the cache and the task broker answer and a task worker (`manage.py qcluster`)
has reported within the last minute; 503 otherwise, with one line per check naming what failed.
No login, no redirect (SECURE_REDIRECT_EXEMPT lets a probe over plain http through), never cached.
Details of a failure go to the log, not to the anonymous caller.

A small view rather than django-health-check: the worker check would be a plugin of our own either way,
and the other three are a few lines each; this keeps one plain-text answer with the status a load
balancer expects (503) and adds no app, URLs or tables.

The worker is seen through the status django-q2's cluster saves every half second (django_q.status.Stat,
kept three seconds): in Redis with the Redis broker (Q_REDIS_URL), in Django's default cache with the
database broker, which therefore must be shared by the processes (CACHE_URL on Redis; a system check
warns in production when it is not).
"""
from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

WORKER_REPORT_WITHIN = timedelta(minutes=1)


def _database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return None


def _cache() -> str | None:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    read = cache.get(key)
    cache.delete(key)
    return None if read == value else "a value written was not read back"


def _broker(broker) -> str | None:
    return None if broker.ping() else "did not answer"


def _worker(broker) -> str | None:
    from django_q.status import Stat

    since = timezone.now() - WORKER_REPORT_WITHIN
    if any(getattr(stat, "timestamp", None) and stat.timestamp >= since for stat in Stat.get_all(broker=broker)):
        return None
    return "no task worker (manage.py qcluster) has reported in the last minute"


def _run(results: dict, name: str, check, *args) -> bool:
    try:
        results[name] = check(*args)
    except Exception as error:  # a dependency that fails is an answer, not a 500
        logger.warning("Health check %s failed", name, exc_info=True)
        results[name] = f"failed ({type(error).__name__})"
    return results[name] is None


@never_cache
@require_safe
def healthz(request):
    from django_q.brokers import get_broker

    results: dict[str, str | None] = {}
    _run(results, "database", _database)
    _run(results, "cache", _cache)
    broker = None
    try:
        broker = get_broker()
    except Exception:
        logger.warning("Health check: no broker", exc_info=True)
    if broker is not None and _run(results, "broker", _broker, broker):
        _run(results, "worker", _worker, broker)
    else:
        results.setdefault("broker", "failed (could not be reached)")
        results["worker"] = "not checked: the broker did not answer"
    failed = [name for name, problem in results.items() if problem]
    lines = [f"{name}: {problem or 'ok'}" for name, problem in results.items()]
    body = ("ok" if not failed else "failing: " + ", ".join(failed)) + "\n" + "\n".join(lines) + "\n"
    return HttpResponse(body, status=503 if failed else 200, content_type="text/plain; charset=utf-8")
