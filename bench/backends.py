"""Delivery backends for the fault drills that count what reached them across processes.

The worker cluster runs in other processes (and is killed with SIGKILL), so the in-memory
outbox of the locmem backends cannot be read afterwards. These append one line per message
to the file named by the BENCH_COUNT_FILE environment variable, with a single O_APPEND write
(atomic for lines this short), so concurrent workers never interleave and a killed worker
leaves whole lines only. A line is written when the backend took the message, i.e. exactly
what a provider would have received.
"""
from __future__ import annotations

import itertools
import os

from anymail.backends.test import EmailBackend as AnymailTestBackend
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

_ids = itertools.count(1)


def _append(line: str) -> None:
    path = os.environ["BENCH_COUNT_FILE"]
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line.replace("\n", " ") + "\n").encode())
    finally:
        os.close(fd)


def read_counts(path) -> dict[str, int]:
    """How many times each key (a notification id) reached the backend."""
    counts: dict[str, int] = {}
    for key, _host in _lines(path):
        counts[key] = counts.get(key, 0) + 1
    return counts


def read_hosts(path) -> dict[str, int]:
    """How many messages each worker host (BENCH_HOST of the process that sent them) took to the backend."""
    hosts: dict[str, int] = {}
    for _key, host in _lines(path):
        hosts[host] = hosts.get(host, 0) + 1
    return hosts


def _lines(path):
    try:
        with open(path) as f:
            for line in f:
                key, _, host = line.strip().partition(" ")
                if key:
                    yield key, host
    except FileNotFoundError:
        return


class CountingEmailBackend(BaseEmailBackend):
    """Records each email's notification id (anymail metadata), or its recipients if it has none,
    followed by the BENCH_HOST of the worker that sent it when the drill names its hosts."""

    def send_messages(self, email_messages) -> int:
        host = os.environ.get("BENCH_HOST", "")
        for message in email_messages:
            metadata = getattr(message, "metadata", None) or {}
            key = str(metadata.get("notification_id") or ",".join(message.to)).replace(" ", "")
            _append(f"{key} {host}".strip())
        return len(email_messages)


class InMemoryEmailBackend(AnymailTestBackend):
    """anymail's test backend (an ESP backend's payload building and message id, no network) without
    its outbox: that keeps every message sent, so over 10,000 deliveries the worker's memory would
    grow by each message and each send would scan the outbox for its id (the benchmarks use this)."""

    _message_ids = itertools.count(1)

    def get_esp_message_id(self, message):
        return f"bench-{os.getpid()}-{next(self._message_ids)}"

    def post_to_esp(self, payload, message):
        try:
            return super().post_to_esp(payload, message)
        finally:
            mail.outbox.clear()


class CountingWhatsAppBackend:
    """Records each WhatsApp message's number (the drills give every order its own), followed by the
    BENCH_HOST of the worker that sent it; loaded by WHATSAPP_BACKEND like the product's backends."""

    def __init__(self, fail_silently: bool = False, **kwargs):
        self.fail_silently = fail_silently

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def send_messages(self, messages) -> int:
        host = os.environ.get("BENCH_HOST", "")
        for message in messages:
            message.provider_message_id = f"wamid.bench-{os.getpid()}-{next(_ids)}"
            _append(f"{message.to} {host}".strip())
        return len(messages)
