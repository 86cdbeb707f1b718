"""One table of figures, printed and written to bench/RESULTS.md with the machine's description."""
from __future__ import annotations

import datetime
import os
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Figure:
    name: str
    value: float | int | str
    unit: str = ""
    baseline: str = ""
    ratio: float | None = None
    bar: str = ""
    passed: bool | None = None  # None: no bar (information only)
    notes: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return {True: "pass", False: "FAIL", None: "-"}[self.passed]


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def table(figures: list[Figure]) -> str:
    head = ["figure", "value", "baseline", "ratio", "bar", "result"]
    rows = [
        [f.name, f"{_fmt(f.value)} {f.unit}".strip(), f.baseline, "" if f.ratio is None else f"{f.ratio:.2f}",
         f.bar, f.verdict]
        for f in figures
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def memory_total() -> str:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def cpu_speed() -> float:
    """Millions of iterations a second of a fixed pure-Python loop (best of 5): how fast this shared
    machine runs Python at the moment, so runs on a slower or busier day can be told apart."""
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i % 7
        best = min(best, time.perf_counter() - t0)
    return 1.0 / best


def machine(pg_version: str, speeds: tuple[float, float] | None = None) -> dict[str, str]:
    info = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": str(os.cpu_count()),
        "memory": memory_total(),
        "PostgreSQL": pg_version,
        "Python": platform.python_version(),
        "platform": platform.platform(),
    }
    if speeds is not None:
        info["Python speed"] = (f"{speeds[0]:.1f} M loop iterations/s at the start, {speeds[1]:.1f} at the end "
                                "(bench.report.cpu_speed: compare runs by it)")
    return info


def write(path: Path, figures: list[Figure], info: dict[str, str], sizes: dict, notes: list[str]) -> str:
    parts = ["# Benchmark results", "", "Written by `make bench` (`python -m bench`); see bench/README.md.", ""]
    parts += [f"- {k}: {v}" for k, v in info.items()]
    parts += ["- sizes: " + ", ".join(f"{k}={v}" for k, v in sizes.items()), "", table(figures), ""]
    details = [f"- **{f.name}**: " + "; ".join(f.notes) for f in figures if f.notes]
    if details:
        parts += ["## What each figure counted", ""] + details + [""]
    if notes:
        parts += ["## Findings", ""] + notes + [""]
    text = "\n".join(parts)
    path.write_text(text)
    return text
