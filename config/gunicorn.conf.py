"""Gunicorn settings for serving the back office: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Each worker process runs a few threads: while one waits on PostgreSQL, another runs Python,
so a burst queues less behind one slow request (each thread keeps its own database connection,
CONN_MAX_AGE). Every value can be set from the environment.
"""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Restart a worker now and then, so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Load the application once in the master, then fork: the workers share its memory, and the
# objects made while importing are frozen out of the garbage collector's scans (fewer, shorter
# collection pauses in the middle of a request).
preload_app = True


def when_ready(server):
    import gc

    gc.collect()
    gc.freeze()
