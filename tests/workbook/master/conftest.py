"""Fixtures of the master workbook tests: a sample commune and helpers to read a written master."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from workbook.master import MasterInput
from workbook.master.cells import HEADER_ROW

from .factory import sample


@pytest.fixture
def data() -> MasterInput:
    return sample(11)


def table(ws: Worksheet) -> list[dict[str, object]]:
    """The rows under the header (``HEADER_ROW``) of a sheet as dicts keyed by header, up to the signature."""
    rows = list(ws.iter_rows(min_row=HEADER_ROW, values_only=True))
    headers = [str(h) if h is not None else "" for h in rows[0]]
    out = []
    for r in rows[1:]:
        if r[0] is None or not any(v is not None for v in r[1:]):
            break  # the end of the table: the signature block follows
        out.append(dict(zip(headers, r, strict=False)))
    return out


def sheet_rows(path: Path, sheet: str, *, data_only: bool = True) -> list[dict[str, object]]:
    wb = load_workbook(path, data_only=data_only)
    try:
        return table(wb[sheet])
    finally:
        wb.close()


def rows_by_code(path: Path, sheet: str) -> dict[str, dict[str, Any]]:
    """``sheet_rows`` keyed by their first column (the unit's code; the rating on “Biểu đồ”)."""
    return {str(next(iter(r.values()))): r for r in sheet_rows(path, sheet)}
