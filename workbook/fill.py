"""Fill a template the way a clerk types: values into the input cells found by their defined names.

Used by the tests, the round-trip property test and the demo generator. Numbers are written as numbers
(a Decimal as int or float), dates as dates, text as typed (a text starting with "=" becomes a formula, as
in a spreadsheet); ``None`` clears a cell. Table rows go from the table's first row down, past its end if
more rows are given than it holds (as a clerk typing below the table would).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from schemas.errors import WorkbookError

from .layout import defined_name_for, table_layouts
from .styles import estimate_lines, row_height
from .template import save_workbook

__all__ = ["clerk_value", "fill_template"]


def clerk_value(value: Any) -> Any:
    """What a spreadsheet cell holds after a clerk types ``value``."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _fit_row(ws: Any, cell: Any) -> None:
    """Raise a fixed row height so typed text fits, as the row grows when a clerk types a long line."""
    if not isinstance(cell.value, str) or cell.value.startswith("="):
        return
    dim = ws.row_dimensions[cell.row]
    width = ws.column_dimensions[cell.column_letter].width or 10
    size = float(cell.font.sz or 11) if cell.font is not None else 11.0
    needed = row_height(estimate_lines(cell.value, width, size), size)
    if needed > (dim.height or row_height(1, size)):
        dim.height = needed


def fill_template(
    path_in: Path,
    path_out: Path,
    values: Mapping[str, Any],
    tables: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> Path:
    """Copy ``path_in`` to ``path_out`` with ``values`` (input name → value) and ``tables`` (table key → rows of
    column key → value) typed in. Input names are those of the Layout (``"K1.target"``, ``"info.year"``)."""
    wb = load_workbook(path_in)
    names = wb.defined_names
    for name, value in values.items():
        dn = names.get(defined_name_for(name))
        if dn is None:
            raise WorkbookError(f"Mẫu phiếu {path_in} không có ô nhập “{name}”.", path=str(path_in))
        (sheet, ref), = list(dn.destinations)
        ws = wb[sheet]
        cell = ws[ref.replace("$", "")]
        cell.value = clerk_value(value)
        _fit_row(ws, cell)
    for key, rows in (tables or {}).items():
        table = next((t for t in table_layouts() if t.key == key), None)
        if table is None:
            raise WorkbookError(f"Không có bảng “{key}” trong mẫu phiếu.", path=str(path_in))
        ws = wb[table.sheet]
        for i, row in enumerate(rows):
            for col_key, value in row.items():
                cell = ws[f"{table.column(col_key).letter}{table.first_row + i}"]
                cell.value = clerk_value(value)
                _fit_row(ws, cell)
    return save_workbook(wb, Path(path_out))
