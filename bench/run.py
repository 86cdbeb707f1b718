"""`python -m bench [--smoke]`: every benchmark on PostgreSQL, one table, bench/RESULTS.md."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path

from . import db
from .report import Figure, cpu_speed, machine, table, write

SIZES = {
    # lifecycle orders, query-budget orders, purge rows, delivered notifications, pgbench seconds
    "full": {"lifecycle": 2000, "queries": 10_000, "purge": 1_000_000, "delivery": 10_000, "pgbench": 20,
             "drill_crash": 1000, "drill_outage_sms": 60, "drill_outage_secs": 30, "drill_staff_orders": 200,
             "drill_staff_secs": 30, "drill_staff_threads": 20, "http": 10_000, "drill_scaleout": 1000,
             "scale_small": 10_000, "scale": 1_000_000, "scale_repeats": 7},
    "smoke": {"lifecycle": 40, "queries": 200, "purge": 5_000, "delivery": 100, "pgbench": 2,
              "drill_crash": 30, "drill_outage_sms": 4, "drill_outage_secs": 3, "drill_staff_orders": 20,
              "drill_staff_secs": 2, "drill_staff_threads": 4, "http": 200, "drill_scaleout": 30,
              "scale_small": 500, "scale": 2_000, "scale_repeats": 2},
}
ALL = ["lifecycle", "queries", "purge", "delivery", "http", "crash", "scaleout", "outage", "staff", "scale"]

# The bench process and its workers deliver to in-memory backends, never to the console.
BACKEND_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "EMAIL_BACKEND": "bench.backends.InMemoryEmailBackend",  # anymail's test backend, keeping no outbox
    "SMS_BACKEND": "notifications.backends.sms.locmem.SmsBackend",
    "PUSH_BACKEND": "notifications.backends.push.locmem.PushBackend",
    "WHATSAPP_BACKEND": "notifications.backends.whatsapp.locmem.WhatsAppBackend",
    "LOG_LEVEL": "WARNING",
    # As deployed: no query log in memory, which DEBUG keeps (the query budgets capture their own).
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",
    # Served over plain http on loopback.
    "SECURE_SSL_REDIRECT": "false",
    "SITE_URL": "https://shop.example.com",
}


def collect_static() -> None:
    """As deployed: DEBUG off serves content-hashed static files from a collected manifest (STATIC_ROOT)."""
    import atexit
    import shutil
    import subprocess
    import tempfile

    root = tempfile.mkdtemp(prefix="orders-bench-static-")
    atexit.register(shutil.rmtree, root, True)
    os.environ["STATIC_ROOT"] = root
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
                   cwd=Path(__file__).resolve().parent.parent, env=os.environ, check=True)


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="seconds-long sizes (what the test suite runs)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", db.DEFAULT_URL),
                        help="the benchmark's own database: dropped and recreated on every run")
    parser.add_argument("--only", nargs="*", choices=ALL, default=ALL, help="run only these benchmarks")
    parser.add_argument("--output", help="markdown file for the results (default: bench/RESULTS.md on full runs)")
    parser.add_argument("--json", help="also write the figures as JSON here")
    parser.add_argument("--set", nargs="*", default=[], metavar="SIZE=N", help="override a size, e.g. purge=200000")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse(argv if argv is not None else sys.argv[1:])
    sizes = dict(SIZES["smoke" if args.smoke else "full"])
    for item in args.set:
        key, _, value = item.partition("=")
        sizes[key] = int(value)
    url = args.database_url
    started = time.monotonic()
    speed_at_start = cpu_speed()
    print(f"Preparing {db.parts(url)[3]} ...", flush=True)
    db.fresh_database(url)
    os.environ.update(BACKEND_ENV)
    os.environ["DATABASE_URL"] = url
    os.environ["BENCH_DATABASE_URL"] = url
    os.environ.pop("Q_REDIS_URL", None)  # the harness enqueues to the ORM broker; delivery picks its own
    collect_static()
    import django

    django.setup()

    from . import concurrent_staff, drills, lifecycle, purge, queries, scale, scaleout, web

    runners = {
        "lifecycle": lambda: lifecycle.run(url, sizes["lifecycle"], sizes["pgbench"]),
        "queries": lambda: queries.run(sizes["queries"]),
        "purge": lambda: purge.run(sizes["purge"]),
        "delivery": lambda: __import__("bench.delivery").delivery.run(url, sizes["delivery"]),
        "http": lambda: web.run(sizes["http"], smoke=args.smoke),
        "crash": lambda: drills.crash(sizes["drill_crash"], smoke=args.smoke)
        + drills.crash(sizes["drill_crash"], smoke=args.smoke, channel="whatsapp"),
        "scaleout": lambda: scaleout.run(sizes["drill_scaleout"], smoke=args.smoke),
        "outage": lambda: drills.outage(sizes["drill_outage_sms"], sizes["drill_outage_secs"], smoke=args.smoke)
        + drills.outage(sizes["drill_outage_sms"], sizes["drill_outage_secs"], smoke=args.smoke, channel="whatsapp"),
        "scale": lambda: scale.run(sizes["scale_small"], sizes["scale"], sizes["scale_repeats"], url),
        "staff": lambda: concurrent_staff.staff(sizes["drill_staff_orders"], sizes["drill_staff_secs"],
                                                sizes["drill_staff_threads"]),
    }
    figures: list[Figure] = []
    for name in args.only:
        print(f"Running {name} ...", flush=True)
        t0 = time.monotonic()
        try:
            print(f"  {db.settle(url)}", flush=True)
            figures += runners[name]()
        except Exception as error:  # one broken benchmark must not hide the others
            traceback.print_exc()
            figures.append(Figure(name, "error", passed=False, notes=[f"{type(error).__name__}: {error}"]))
        print(f"  {name} took {time.monotonic() - t0:.1f} s", flush=True)
    print()
    print(table(figures))
    print(f"\nTotal {time.monotonic() - started:.0f} s", flush=True)
    output = args.output or (None if args.smoke else str(Path(__file__).parent / "RESULTS.md"))
    if output:
        info = machine(db.server_version(url), (speed_at_start, cpu_speed()))
        write(Path(output), figures, info, sizes, notes=_findings())
    if args.json:
        Path(args.json).write_text(json.dumps([f.__dict__ for f in figures], default=str, indent=1))
    # Bars may be missed on a noisy machine (the table says so); a benchmark that broke is an error.
    return 1 if any(f.value == "error" for f in figures) else 0


def _findings() -> list[str]:
    path = Path(__file__).parent / "FINDINGS.md"
    return [path.read_text().strip()] if path.exists() else []
