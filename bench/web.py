"""HTTP: gunicorn with 2 workers against the benchmark database, loaded from loopback.

Three endpoints: the public timeline page, `GET /api/v1/orders/{number}/` and
`POST /api/v1/orders/`. The reads are held at 100 requests/s (bar: p99 under 50 ms); then
each endpoint is stepped up through rising rates, and the highest rate whose p99 stays
under 100 ms with every answer a 2xx is reported.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from . import loadgen
from .common import bulk_orders, place_paid_order, staff_user, storefront
from .report import Figure

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
STEPS = {"full": [10, 25, 50, 100, 150, 200, 300, 400, 600, 800], "smoke": [10, 20]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _start_gunicorn(port: int, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        # Measure the pages, not the rate limits (which answer 429 long before these rates).
        "API_THROTTLE_RATE": "1000000/min",
        "PUBLIC_PAGE_RATE_LIMIT": "1000000/min",
        "LOG_LEVEL": "WARNING",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    # The product's own gunicorn settings (config/gunicorn.conf.py), with 2 workers and no access log.
    return subprocess.Popen([gunicorn, "config.wsgi:application", "-c", "config/gunicorn.conf.py", "--workers", "2",
                             "--bind", f"{HOST}:{port}", "--log-level", "warning", "--access-logfile", "/dev/null"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run(orders: int, *, smoke: bool) -> list[Figure]:
    from storefronts.services import create_api_key

    user = staff_user()
    shop = storefront()
    _record, key = create_api_key(storefront=shop, name="bench http")
    placed = [place_paid_order(by=user, storefront=shop) for _ in range(50)]
    bulk_orders(max(0, orders - len(placed)), storefront=shop, chunk=5000)
    from orders.models import Order

    total = Order.objects.filter(storefront=shop).count()
    numbers = [o.number for o in placed]
    tokens = [o.public_token for o in placed]
    auth = {"Authorization": f"Api-Key {key}"}
    created = iter(range(10**9))

    def create(_i):
        n = next(created)
        body = {
            "external_id": f"bench-http-{os.getpid()}-{n}",
            "customer": {"name": "María Pérez", "email": f"http{n}@example.com", "phone": "+5491155550000"},
            "payment_method": "transfer", "currency": "ARS", "shipping_cost": "1500.00",
            "fulfillment": {"method": "carrier", "address": "Av. Colón 1234", "city": "Córdoba"},
            "lines": [{"sku": "REM-001", "name": "Remera de algodón", "quantity": 2, "unit_price": "5000.00"}],
        }
        return loadgen.Request("POST", "/api/v1/orders/", {**auth, "Content-Type": "application/json"},
                               json.dumps(body).encode())

    endpoints = {
        "timeline page": lambda i: loadgen.Request("GET", f"/o/{tokens[i % len(tokens)]}/"),
        "API order detail": lambda i: loadgen.Request("GET", f"/api/v1/orders/{numbers[i % len(numbers)]}/", auth),
        "API order create": create,
    }
    port = _free_port()
    log = open("/tmp/bench-gunicorn.log", "w")
    server = _start_gunicorn(port, log)
    figures = []
    hold = 2 if smoke else 10
    step_seconds = 1 if smoke else 5
    try:
        loadgen.wait_until_up(HOST, port, f"/o/{tokens[0]}/")
        # Warm-up: imports, connections, caches in both workers. The reads go over every order four
        # times, so each worker has kept each order's JSON (as a storefront's polling finds it): 20
        # requests over 50 orders left most of them to be built during the measured seconds.
        for name, make in endpoints.items():
            if name == "API order create":
                loadgen.run(HOST, port, make, rate=20, seconds=1)
            else:
                loadgen.run(HOST, port, make, rate=50, seconds=4 * len(placed) / 50)
        for name in ("timeline page", "API order detail"):
            result = loadgen.run(HOST, port, endpoints[name], rate=100, seconds=hold)
            print(f"  http: {name}: {result.describe()}", flush=True)
            clean = result.errors == 0 and result.ok == result.sent
            figures.append(Figure(f"HTTP p99 at 100 req/s: {name}", result.p(99) * 1000, "ms",
                                  baseline=f"p50 {result.p(50) * 1000:.1f} ms", bar="< 50 ms",
                                  passed=result.p(99) < 0.050 and clean,
                                  notes=[result.describe() + f"; {total:,} orders in the database"]))
        for name, make in endpoints.items():
            best, steps = 0, []
            for rate in STEPS["smoke" if smoke else "full"]:
                result = loadgen.run(HOST, port, make, rate=rate, seconds=step_seconds)
                steps.append(result.describe())
                print(f"  http: {name}: {result.describe()}", flush=True)
                if result.p(99) >= 0.100 or result.errors or result.ok != result.sent:
                    break
                best = rate
            figures.append(Figure(f"HTTP highest rate, p99 < 100 ms: {name}", best, "req/s",
                                  baseline=f"steps of {step_seconds} s", bar="report", passed=None,
                                  notes=steps))
    finally:
        _stop(server)
        log.close()
    return figures
