"""Fixtures of the master workbook tests: a sample commune and helpers to read a written master."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from workbook.master import MasterInput

from .factory import sample

HEADER_ROW = 5


@pytest.fixture
def data() -> MasterInput:
    return sample(11)


def table(ws: Worksheet) -> list[dict[str, object]]:
    """The rows under the header (row 5) of a sheet as dicts keyed by header."""
    rows = list(ws.iter_rows(min_row=HEADER_ROW, values_only=True))
    headers = [str(h) if h is not None else "" for h in rows[0]]
    return [dict(zip(headers, r, strict=False)) for r in rows[1:] if any(v is not None for v in r)]


def sheet_rows(path: Path, sheet: str, *, data_only: bool = False) -> list[dict[str, object]]:
    wb = load_workbook(path, data_only=data_only)
    try:
        return table(wb[sheet])
    finally:
        wb.close()
