"""A small open-loop HTTP load generator for loopback only (asyncio, no dependencies).

Requests are started on a fixed schedule (`rate` per second for `seconds`), whether or not the
earlier ones have answered, and each latency is counted from the moment its request was due,
so a server that falls behind shows it (no coordinated omission). It is bounded: at most
`rate * seconds` requests, at most `max_in_flight` at once (a request that finds the limit
reached counts as an error), each given `timeout` seconds; then it stops by itself.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .common import percentile


@dataclass
class Request:
    method: str
    path: str
    headers: dict = field(default_factory=dict)
    body: bytes = b""


@dataclass
class Result:
    rate: float
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]
    errors: int

    @property
    def sent(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)

    def p(self, q: float) -> float:
        return percentile(self.latencies, q)

    def describe(self) -> str:
        return (f"{self.rate:g} req/s for {self.seconds:g} s: {self.sent} sent, {self.ok} 2xx, {self.errors} errors, "
                f"p50 {self.p(50) * 1000:.1f} ms, p99 {self.p(99) * 1000:.1f} ms")


async def _one(host: str, port: int, request: Request, timeout: float) -> int:
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        head = [f"{request.method} {request.path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close",
                f"Content-Length: {len(request.body)}"]
        head += [f"{name}: {value}" for name, value in request.headers.items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + request.body)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout)
        await asyncio.wait_for(reader.read(), timeout)  # the server closes the connection after the body
        return int(status_line.split()[1])
    finally:
        writer.close()


async def _run(host, port, make: Callable[[int], Request], rate, seconds, max_in_flight, timeout) -> Result:
    loop = asyncio.get_running_loop()
    total = max(1, int(rate * seconds))
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    in_flight = 0

    async def fire(i: int, due: float):
        nonlocal errors, in_flight
        in_flight += 1
        try:
            status = await _one(host, port, make(i), timeout)
        except (OSError, TimeoutError, ValueError, IndexError):
            errors += 1
            return
        finally:
            in_flight -= 1
        latencies.append(loop.time() - due)
        statuses[status] = statuses.get(status, 0) + 1

    start = loop.time() + 0.05
    tasks = []
    for i in range(total):
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        if in_flight >= max_in_flight:
            errors += 1
            continue
        tasks.append(asyncio.ensure_future(fire(i, due)))
    await asyncio.gather(*tasks)
    return Result(rate=rate, seconds=seconds, latencies=latencies, statuses=statuses, errors=errors)


def run(host: str, port: int, make: Callable[[int], Request], *, rate: float, seconds: float,
        max_in_flight: int = 200, timeout: float = 5.0) -> Result:
    """`rate` requests per second for `seconds`; `make(i)` builds the i-th request."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError("the load generator only targets this machine (loopback)")
    return asyncio.run(_run(host, port, make, rate, seconds, max_in_flight, timeout))


def wait_until_up(host: str, port: int, path: str, *, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if asyncio.run(_one(host, port, Request("GET", path), 5)) < 500:
                return
        except (OSError, TimeoutError, ValueError, IndexError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on {host}:{port}{path}")
