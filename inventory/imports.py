"""The stock CSV import: read and check a whole file, preview it, then apply it all or nothing.

Columns: ``sku, name, quantity[, threshold]``, in that order, or in any order under a header
row naming them (English, Spanish or Portuguese names). Commas, semicolons or tabs separate
them (spreadsheets in Spanish and Portuguese save with semicolons); UTF-8, with or without a
BOM, or Windows-1252. An empty name or threshold keeps what the product has.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .models import MAX_QUANTITY, StockItem, StockMovement

MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
COLUMNS = ("sku", "name", "quantity", "threshold")
HEADER_NAMES = {
    "sku": "sku", "code": "sku", "código": "sku", "codigo": "sku",
    "name": "name", "product": "name", "nombre": "name", "producto": "name", "nome": "name", "produto": "name",
    "quantity": "quantity", "qty": "quantity", "stock": "quantity", "on hand": "quantity", "cantidad": "quantity",
    "quantidade": "quantity", "estoque": "quantity",
    "threshold": "threshold", "low_stock_threshold": "threshold", "low stock threshold": "threshold",
    "alert": "threshold", "umbral": "threshold", "alerta": "threshold", "limite": "threshold", "mínimo": "threshold",
    "minimo": "threshold",
}
WHOLE_NUMBER = re.compile(r"\+?\d+")


@dataclass
class ImportLine:
    row: int  # the row number in the file, as a spreadsheet shows it
    sku: str
    quantity: int
    name: str | None  # None: keep the product's name
    threshold: int | None  # None: keep it (new products get STOCK_LOW_THRESHOLD)


@dataclass
class PlannedChange:
    line: ImportLine
    item: StockItem | None  # None: a new product

    @property
    def before(self) -> int:
        return self.item.quantity if self.item else 0

    @property
    def delta(self) -> int:
        return self.line.quantity - self.before


@dataclass
class ImportFile:
    lines: list[ImportLine] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.lines)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


NOT_A_WHOLE_NUMBER = {
    "quantity": gettext_lazy("Row %(row)s: the quantity “%(value)s” is not a whole number of units."),
    "threshold": gettext_lazy("Row %(row)s: the threshold “%(value)s” is not a whole number of units."),
}
TOO_LARGE = {
    "quantity": gettext_lazy("Row %(row)s: the quantity %(value)s is more than %(max)s."),
    "threshold": gettext_lazy("Row %(row)s: the threshold %(value)s is more than %(max)s."),
}


def _whole_number(value: str, *, row: int, column: str, errors: list[str]) -> int | None:
    value = value.strip()
    if not WHOLE_NUMBER.fullmatch(value):
        errors.append(NOT_A_WHOLE_NUMBER[column] % {"row": row, "value": value[:30]})
        return None
    # Compared as text first: int() refuses more than 4,300 digits (leading zeros included).
    digits = value.lstrip("+0") or "0"
    if len(digits) > len(str(MAX_QUANTITY)) or int(digits) > MAX_QUANTITY:
        shown = value if len(value) <= 30 else value[:29] + "…"
        errors.append(TOO_LARGE[column] % {"row": row, "value": shown, "max": f"{MAX_QUANTITY:,}"})
        return None
    return int(digits)


def read(text: str) -> ImportFile:
    """Read and check every row; the result lists the valid lines and, by row, each error."""
    result = ImportFile()
    if len(text.encode()) > MAX_BYTES:
        result.errors.append(_("The file is larger than 1 MB; split it into smaller files."))
        return result
    if "\x00" in text:
        result.errors.append(_("This is not a CSV file. Save the spreadsheet as CSV and upload that."))
        return result
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)):
            rows.append(row)
    except csv.Error:  # in practice, a cell longer than csv.field_size_limit(): an unpaired quote
        result.errors.append(
            _("Row %(row)s cannot be read: a cell runs on for more than %(max)s characters. Check that its "
              "quotes (\") are paired.") % {"row": len(rows) + 1, "max": f"{csv.field_size_limit():,}"}
        )
        return result
    columns: list[str] | None = None  # None: no header, the columns are in COLUMNS' order
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    # A first row naming the sku column and holding no number is a header.
    if "sku" in {HEADER_NAMES.get(cell) for cell in header} and not any(WHOLE_NUMBER.fullmatch(c) for c in header):
        unknown = [cell for cell in header if cell and cell not in HEADER_NAMES]
        if unknown:
            result.errors.append(
                _("Row 1: unknown column “%(column)s”. The columns are sku, name, quantity and, optionally, "
                  "threshold.") % {"column": unknown[0]}
            )
            return result
        columns = [HEADER_NAMES.get(cell, "") for cell in header]
        missing = [name for name in ("sku", "quantity") if name not in columns]
        if missing:
            result.errors.append(_("Row 1: the header has no “%(column)s” column.") % {"column": missing[0]})
            return result
        rows[0] = None  # the header is not a product
    if sum(1 for row in rows if row and any(cell.strip() for cell in row)) > MAX_ROWS + 1:
        result.errors.append(
            _("The file has more than %(max)s rows; split it into smaller files.") % {"max": f"{MAX_ROWS:,}"}
        )
        return result

    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        if row is None or not any(cell.strip() for cell in row):
            continue  # the header, or an empty line
        line = _read_row(row, number, columns or list(COLUMNS), result.errors, positional=columns is None)
        if line is None:
            continue
        if line.sku in seen:
            result.errors.append(
                _("Row %(row)s: the SKU “%(sku)s” is already on row %(first)s.")
                % {"row": number, "sku": line.sku, "first": seen[line.sku]}
            )
            continue
        seen[line.sku] = number
        result.lines.append(line)
    if not result.lines and not result.errors:
        result.errors.append(_("The file has no products. Each row needs sku, name and quantity."))
    return result


def _read_row(row: list[str], number: int, columns: list[str], errors: list[str], *,
              positional: bool) -> ImportLine | None:
    if positional and not 3 <= len(row) <= 4:
        errors.append(
            _("Row %(row)s: %(count)s columns; expected sku, name, quantity and, optionally, threshold.")
            % {"row": number, "count": len(row)}
        )
        return None
    values = {name: "" for name in COLUMNS}
    for name, cell in zip(columns, row):
        if name:
            values[name] = cell
    before = len(errors)
    try:
        sku = services.clean_sku(values["sku"])
    except ValidationError as error:
        errors.append(_("Row %(row)s: %(message)s") % {"row": number, "message": " ".join(error.messages)})
        sku = ""
    name = values["name"].strip()
    if len(name) > 255:
        errors.append(_("Row %(row)s: the name has more than 255 characters.") % {"row": number})
    quantity = None
    if not values["quantity"].strip():
        errors.append(_("Row %(row)s: the quantity is missing.") % {"row": number})
    else:
        quantity = _whole_number(values["quantity"], row=number, column="quantity", errors=errors)
    threshold = None
    if values["threshold"].strip():
        threshold = _whole_number(values["threshold"], row=number, column="threshold", errors=errors)
    if len(errors) > before:
        return None
    return ImportLine(row=number, sku=sku, quantity=quantity, name=name or None, threshold=threshold)


def plan(imported: ImportFile) -> list[PlannedChange]:
    """What the import would do to each product, for the preview (nothing is saved)."""
    items = StockItem.objects.in_bulk([line.sku for line in imported.lines], field_name="sku")
    return [PlannedChange(line=line, item=items.get(line.sku)) for line in imported.lines]


def apply(imported: ImportFile, *, by, filename: str) -> list[services.SetResult]:
    """Set every line's quantity in one transaction: all lines are saved, or none."""
    if not imported.is_valid:
        raise ValueError("only a file without errors is imported")
    rows = [
        services.StockRow(
            sku=line.sku, quantity=line.quantity, name=line.name, low_stock_threshold=line.threshold,
            note=_("%(file)s, row %(row)s") % {"file": filename[:200], "row": line.row},
        )
        for line in imported.lines
    ]
    return services.set_stock(rows, by=by, reason=StockMovement.Reason.CSV_IMPORT)
