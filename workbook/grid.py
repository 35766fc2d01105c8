"""The Grid: raw cell values keyed by (sheet, A1 cell), normalised so every source gives the same Grid.

The folder reader (openpyxl) and the Google source (``values:batchGet`` with ``UNFORMATTED_VALUE`` and
``SERIAL_NUMBER``) see the same content differently: a date as ``datetime`` or as a serial number, 3 as
``3.0`` or ``3``, an empty cell as ``None`` or missing. ``normalise`` removes those differences; text is
kept exactly as read (validation reports decomposed Unicode). The structure checks here are pure too, so
both sources report a moved row or a renamed header the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from schemas.models import Issue, Severity
from schemas.text import clean_text
from schemas.validate import RawCell, RawSubmission
from schemas.values import RawValue, date_to_serial, serial_to_date

from .layout import Layout, a1, split_a1

__all__ = ["CellKey", "Grid", "check_structure", "normalise", "to_raw_submission"]

CellKey = tuple[str, str]  # (sheet, A1 cell)


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def _whole(value: float) -> int | float:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def normalise(value: Any, *, is_date: bool) -> RawValue:
    """One raw value as the Grid stores it.

    Date cells hold ``datetime.date`` (from a datetime or a serial number); other cells hold numbers where a
    spreadsheet shows a date (the serial number, as the Sheets API gives it). Whole floats become int, the
    empty string becomes None, booleans stay booleans.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, dt.datetime):
        if is_date:
            return value.date()
        days = date_to_serial(value.date())
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return _whole(days + seconds / 86400) if seconds else days
    if isinstance(value, dt.date):
        return value if is_date else date_to_serial(value)
    if isinstance(value, dt.time):
        return _whole((value.hour * 3600 + value.minute * 60 + value.second) / 86400)
    if isinstance(value, int):
        if is_date and 1 <= value <= 2958465:
            return serial_to_date(value)
        return value
    if isinstance(value, float):
        if is_date and value == value and 1 <= value <= 2958465:
            return serial_to_date(value)
        return _whole(value)
    return str(value)


class Grid(Mapping[CellKey, RawValue]):
    """Immutable mapping (sheet, A1 cell) → raw value, covering every cell of ``layout.ranges()``."""

    __slots__ = ("_cells",)

    def __init__(self, cells: Mapping[CellKey, RawValue]) -> None:
        self._cells: Mapping[CellKey, RawValue] = MappingProxyType(dict(cells))

    def __getitem__(self, key: CellKey) -> RawValue:
        return self._cells[key]

    def __iter__(self) -> Iterator[CellKey]:
        return iter(self._cells)

    def __len__(self) -> int:
        return len(self._cells)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Grid):
            return dict(self._cells) == dict(other._cells)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._cells.items()))

    def __repr__(self) -> str:
        filled = {k: v for k, v in self._cells.items() if v is not None}
        return f"Grid({len(self._cells)} cells, {len(filled)} filled)"

    def value(self, sheet: str, cell: str) -> RawValue:
        return self._cells.get((sheet, cell))

    @classmethod
    def empty(cls, layout: Layout) -> Grid:
        return cls.from_cells(layout, {})

    @classmethod
    def from_cells(cls, layout: Layout, cells: Mapping[CellKey, Any]) -> Grid:
        """From values read cell by cell; cells outside the layout's ranges are ignored, missing ones are None."""
        dates = layout.date_cells
        out: dict[CellKey, RawValue] = {}
        for key in layout.cell_keys:
            out[key] = normalise(cells.get(key), is_date=key in dates)
        return cls(out)

    @classmethod
    def from_range_values(cls, layout: Layout, values: Sequence[Sequence[Sequence[Any]]]) -> Grid:
        """From the 2-D rows of each of ``layout.ranges()`` (ragged, short or empty, as the Sheets API gives)."""
        boxes = list(layout.boxes().items())
        cells: dict[CellKey, Any] = {}
        for i, (sheet, (top_left, _)) in enumerate(boxes):
            rows = values[i] if i < len(values) else ()
            letters, row0 = split_a1(top_left)
            col0 = _col_index(letters)
            for r, row in enumerate(rows or ()):
                for c, value in enumerate(row or ()):
                    cells[(sheet, a1(col0 + c, row0 + r))] = value
        return cls.from_cells(layout, cells)


def to_raw_submission(layout: Layout, grid: Mapping[CellKey, RawValue]) -> RawSubmission:
    """The grid as the core's input: every input by name and every table row, each with its location."""
    where = layout.locations
    values = {
        i.name: RawCell(grid.get((i.sheet, i.cell)), where[(i.sheet, i.cell)])
        for i in layout.inputs
        if not i.name.startswith("meta.")
    }
    tables: dict[str, list[dict[str, RawCell]]] = {}
    for t in layout.tables:
        rows = []
        for r in range(t.first_row, t.last_row + 1):
            rows.append({c.key: RawCell(grid.get(key := (t.sheet, f"{c.letter}{r}")), where[key]) for c in t.columns})
        tables[t.key] = rows
    return RawSubmission(values=values, tables=tables)


def _blank(value: RawValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _same(seen: RawValue, expected: str | int) -> bool:
    if isinstance(expected, int):
        return not isinstance(seen, bool) and isinstance(seen, int | float) and seen == expected
    return isinstance(seen, str) and clean_text(seen).casefold() == clean_text(expected).casefold()


def check_structure(layout: Layout, grid: Mapping[CellKey, RawValue], *, skip_sheets: frozenset[str] = frozenset()) -> list[Issue]:
    """Protected cells that moved or changed (inserted or deleted rows, renamed headers), rows typed below a
    table, and the template version. Sheets in ``skip_sheets`` (missing from the file) are not checked."""
    issues: list[Issue] = []
    reported: set[tuple[str, str]] = set()
    for f in layout.fixed:
        if f.sheet in skip_sheets:
            continue
        seen = grid.get((f.sheet, f.cell))
        if _same(seen, f.expected):
            continue
        kind = f.what
        group = (f.sheet, kind)
        if group in reported:  # one issue per sheet and kind: a shifted block would repeat it on every row
            continue
        reported.add(group)
        shown = "trống" if _blank(seen) else f"“{seen}”"
        issues.append(Issue(
            code="layout-changed", severity=Severity.ERROR, sheet=f.sheet, cell=f.cell, value=seen,
            message=(
                f"Trang “{f.sheet}”, ô {f.cell} phải là “{f.expected}” nhưng đang {shown}: mẫu phiếu đã bị chèn, xóa "
                "dòng/cột hoặc sửa tiêu đề nên dvk không đọc đúng vị trí. Hãy nhập lại vào mẫu phiếu gốc, không chèn "
                "hay xóa dòng, cột."
            ),
        ))
    for t in layout.tables:
        if t.sheet in skip_sheets:
            continue
        hit = _first_filled(grid, t.sheet, [c.letter for c in t.columns], t.last_row + 1, t.last_row + t.overflow_rows)
        if hit is not None:
            cell, seen = hit
            issues.append(Issue(
                code="table-extra-rows", severity=Severity.ERROR, sheet=t.sheet, cell=cell, value=seen,
                message=(
                    f"Trang “{t.sheet}”: ô {cell} nằm ngoài bảng (bảng có tối đa {t.max_rows} dòng, từ dòng "
                    f"{t.first_row} đến {t.last_row}); dvk không đọc các dòng này. Hãy chuyển nội dung vào dòng trống "
                    "trong bảng, hoặc hỏi Bộ phận Thi đua nếu cần thêm dòng."
                ),
            ))
    return issues


def _first_filled(grid: Mapping[CellKey, RawValue], sheet: str, letters: list[str], first: int, last: int) -> tuple[str, RawValue] | None:
    for row in range(first, last + 1):
        for letter in letters:
            value = grid.get((sheet, f"{letter}{row}"))
            if not _blank(value):
                return f"{letter}{row}", value
    return None
