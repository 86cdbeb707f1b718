"""Helpers for the order admin's tests: staff users, real proof files, and reading the page's buttons."""
import html
import re
import struct
import zlib
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UserFactory


def manager(username="manager"):
    return UserFactory(username=username, groups=["Order managers"])


def dispatcher(username="dispatch"):
    return UserFactory(username=username, groups=["Dispatch"])


def png_bytes() -> bytes:
    """A real 1×1 PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def pdf_bytes() -> bytes:
    """A small, well-formed one-page PDF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return body


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def change_url(order) -> str:
    return reverse("admin:orders_order_change", args=[order.pk])


def move_url(order, move: str) -> str:
    return reverse("admin:orders_order_move", args=[order.pk, move])


def payment_url(order) -> str:
    return reverse("admin:orders_order_payment", args=[order.pk])


def refund_url(order) -> str:
    return reverse("admin:orders_order_refund", args=[order.pk])


def sheet_url(order) -> str:
    return reverse("admin:orders_order_sheet", args=[order.pk])


BUTTON = re.compile(
    r'<li class="order-move" data-move="(?P<name>[^"]+)" data-enabled="(?P<enabled>true|false)">(?P<body>.*?)</li>',
    re.DOTALL,
)
REFUSAL = re.compile(r'<span class="refusal"[^>]*>(?P<reason>.*?)</span>', re.DOTALL)


def buttons(response) -> dict[str, str | None]:
    """The order page's buttons: name -> None when enabled, else the reason shown next to it."""
    result = {}
    for match in BUTTON.finditer(response.content.decode()):
        if match["enabled"] == "true":
            result[match["name"]] = None
        else:
            refusal = REFUSAL.search(match["body"])
            result[match["name"]] = html.unescape(refusal["reason"].strip()) if refusal else ""
    return result


class _FormReader(HTMLParser):
    """Collects what a browser would submit from one <form>: inputs, checked boxes, selects, textareas."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data.lstrip("\n") if not self.data[self._textarea][-1] else data


def form_data(response, form_id) -> dict[str, list[str]]:
    """The data a browser would post from the page's form `form_id`, as rendered."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    return reader.data
