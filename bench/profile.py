"""Profile one benchmark's hot path in process with pyinstrument (what FINDINGS.md quotes).

    python -m bench.profile delivery [--count 300]   # services.deliver() over queued email rows
    python -m bench.profile lifecycle [--count 100]  # accept -> prepare -> ship -> finalize
    python -m bench.profile purge [--count 50000]    # services.purge_log()
    python -m bench.profile timeline [--count 500]   # GET /o/<token>/ (the public timeline page)
    python -m bench.profile detail [--count 500]     # GET /api/v1/orders/<number>/ (kept JSON, as polled)

It uses the benchmark's database (recreated, like `make bench`) and prints pyinstrument's
text report, plus wall time and SQL statement count; `--plain` leaves the profiler out and adds
the CPU time each unit cost this thread. For the real worker process, attach
py-spy instead: `py-spy record --subprocesses --pid <qcluster pid>`.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from functools import partial


def _delivery(count: int):
    from django.utils import timezone

    from notifications import services
    from notifications.models import Notification
    from orders.models import Order

    from .common import bulk_orders

    bulk_orders(count)
    now = timezone.now()
    rows = Notification.objects.bulk_create([
        Notification(order_id=pk, milestone="order_placed", channel="email", recipient=f"c{pk}@example.com",
                     status="queued", next_attempt_at=now)
        for pk in Order.objects.order_by("pk").values_list("pk", flat=True)[:count]
    ])
    ids = [r.pk for r in rows]
    deliver_many = getattr(services, "deliver_many", None)

    def work():
        if deliver_many is not None:
            for i in range(0, len(ids), 50):
                deliver_many(ids[i:i + 50])
        else:
            for pk in ids:
                services.deliver(pk)
        assert not Notification.objects.filter(pk__in=ids, status="queued").exists()

    return work, count, "messages"


def _lifecycle(count: int):
    from carriers.models import Carrier
    from orders import services

    from .common import place_paid_order, staff_user, tracking_code

    user = staff_user()
    carrier = Carrier.objects.get(code="dhl")
    orders = [place_paid_order(by=user) for _ in range(count)]

    def work():
        for order in orders:
            order = services.accept(order, by=user)
            order = services.start_preparation(order, by=user)
            order = services.ship(order, by=user, carrier=carrier, tracking_code=tracking_code(order.pk))
            services.finalize(order, by=user)

    return work, 4 * count, "transitions"


def _purge(count: int):
    from notifications import services

    from .purge import fill

    fill(count)
    return services.purge_log, int(count * 0.8), "rows purged"


def _http(count: int, what: str):
    """`count` requests through Django's whole handler (middleware included), 50 orders in turn,
    after one warm-up request each, as the HTTP benchmark asks them."""
    from django.test import Client

    from storefronts.services import create_api_key

    from .common import place_paid_order, staff_user, storefront

    user, shop = staff_user(), storefront()
    _record, key = create_api_key(storefront=shop, name="bench profile")
    orders = [place_paid_order(by=user, storefront=shop) for _ in range(50)]
    if what == "timeline":
        paths, headers = [f"/o/{o.public_token}/" for o in orders], {}
    else:
        paths, headers = [f"/api/v1/orders/{o.number}/" for o in orders], {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
    client = Client(**headers)
    for path in paths:
        assert client.get(path).status_code == 200, path

    def work():
        for i in range(count):
            response = client.get(paths[i % len(paths)])
            assert response.status_code == 200

    return work, count, "requests"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["delivery", "lifecycle", "purge", "timeline", "detail"])
    parser.add_argument("--count", type=int)
    parser.add_argument("--plain", action="store_true",
                        help="no profiler: wall and CPU time per unit only (the profiler's overhead left out)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args(argv)
    from . import db
    from .run import BACKEND_ENV, collect_static

    url = args.database_url or db.DEFAULT_URL
    db.fresh_database(url)
    os.environ.update(BACKEND_ENV)
    os.environ.update({"ALLOWED_HOSTS": "testserver", "API_THROTTLE_RATE": "1000000/min",
                       "PUBLIC_PAGE_RATE_LIMIT": "1000000/min"})
    os.environ.pop("Q_REDIS_URL", None)
    os.environ["DATABASE_URL"] = url
    collect_static()
    import django

    django.setup()
    from django.db import connection
    from pyinstrument import Profiler

    default = {"delivery": 300, "lifecycle": 100, "purge": 50_000, "timeline": 500, "detail": 500}[args.what]
    setup = {"delivery": _delivery, "lifecycle": _lifecycle, "purge": _purge,
             "timeline": partial(_http, what="timeline"), "detail": partial(_http, what="detail")}[args.what]
    work, units, unit = setup(args.count or default)
    statements = []
    profiler = None if args.plain else Profiler(interval=0.0005)
    t0, cpu0 = time.perf_counter(), time.thread_time()
    with connection.execute_wrapper(lambda execute, sql, *rest: statements.append(sql) or execute(sql, *rest)):
        if profiler:
            profiler.start()
        work()
        if profiler:
            profiler.stop()
    elapsed, cpu = time.perf_counter() - t0, time.thread_time() - cpu0
    if profiler:
        print(profiler.output_text(unicode=True, color=False, show_all=bool(os.environ.get("PROFILE_ALL"))))
    print(f"{units} {unit} in {elapsed:.2f} s = {units / elapsed:.1f}/s; "
          f"{len(statements)} SQL statements ({len(statements) / units:.1f} per unit); "
          f"{1000 * cpu / units:.2f} ms of this thread's CPU per unit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
