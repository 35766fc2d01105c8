"""The Grid: the same content gives the same Grid from openpyxl and from Sheets API values; pure round trip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import Location, Submission, default_rubric, score
from schemas.values import date_to_serial
from workbook.fill import clerk_value
from workbook.grid import Grid, normalise, to_raw_submission
from workbook.layout import Layout, build_layout, split_a1
from workbook.reader import read_grid, validate_grid

from .sheet_support import UNITS, clerk_values, fill, submissions


def _as_sheets_api(layout: Layout, cells: dict[tuple[str, str], Any]) -> list[list[list[Any]]]:
    """What ``values:batchGet`` (UNFORMATTED_VALUE, SERIAL_NUMBER) returns for each of ``layout.ranges()``:
    dates as serial numbers, numbers as JSON floats, trailing empty cells and rows dropped, "" inside a row."""
    out: list[list[list[Any]]] = []
    for sheet, (top_left, bottom_right) in layout.boxes().items():
        l1, r1 = split_a1(top_left)
        l2, r2 = split_a1(bottom_right)
        letters = [chr(c) for c in range(ord(l1), ord(l2) + 1)]
        rows: list[list[Any]] = []
        for r in range(r1, r2 + 1):
            row: list[Any] = []
            for letter in letters:
                v = cells.get((sheet, f"{letter}{r}"))
                if isinstance(v, dt.datetime | dt.date):
                    v = float(date_to_serial(v if not isinstance(v, dt.datetime) else v.date()))
                elif isinstance(v, int) and not isinstance(v, bool):
                    v = float(v)
                row.append("" if v is None else v)
            while row and row[-1] == "":
                row.pop()
            rows.append(row)
        while rows and not rows[-1]:
            rows.pop()
        out.append(rows)
    return out


def test_folder_and_sheets_values_give_the_same_grid(tmp_path: Path, blank_template: Path, layout: Layout) -> None:
    grid, _ = read_grid(fill(blank_template, tmp_path / "p.xlsx"), layout)
    assert grid[("Thông tin đơn vị", "C13")] == dt.date(2026, 12, 10)
    assert grid[("Mô hình", "L5")] == dt.date(2026, 3, 1)
    assert grid[("Chấm điểm", "F10")] == 100 and type(grid[("Chấm điểm", "F10")]) is int
    values = _as_sheets_api(layout, dict(grid))
    assert values[2][-1][0] == 30.0  # the last STT of "Mô hình"; empty cells after it are dropped
    assert Grid.from_range_values(layout, values) == grid


def test_empty_and_missing_ranges_are_padded(layout: Layout) -> None:
    empty = Grid.from_range_values(layout, [])
    assert empty == Grid.empty(layout)
    assert set(empty.values()) == {None}
    assert len(empty) == sum(1 for _ in empty)
    partial = Grid.from_range_values(layout, [[["Phiên bản mẫu phiếu", "x"]], [], [[]]])
    assert partial.value("Thông tin đơn vị", "C3") == "x" and partial.value("Chấm điểm", "A6") is None


def test_normalise() -> None:
    assert normalise(3.0, is_date=False) == 3 and type(normalise(3.0, is_date=False)) is int
    assert normalise(2.5, is_date=False) == 2.5
    assert normalise("", is_date=False) is None
    assert normalise(True, is_date=True) is True
    assert normalise(46366, is_date=True) == dt.date(2026, 12, 10)
    assert normalise(dt.datetime(2026, 12, 10, 0, 0), is_date=True) == dt.date(2026, 12, 10)
    # a date typed into a number cell: the serial number, as the Sheets API gives it
    assert normalise(dt.datetime(2026, 12, 10), is_date=False) == 46366
    assert normalise(dt.time(12, 0), is_date=False) == 0.5
    assert normalise("  ", is_date=False) == "  "


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)))
def test_serial_dates_round_trip(day: dt.date) -> None:
    serial = date_to_serial(day)
    assert normalise(serial, is_date=True) == day
    assert normalise(float(serial), is_date=True) == day
    assert normalise(dt.datetime(day.year, day.month, day.day), is_date=False) == serial


def test_to_raw_submission_locates_every_cell(layout: Layout) -> None:
    raw = to_raw_submission(layout, Grid.empty(layout))
    assert raw.values["K1.target"].location == Location(sheet="Chấm điểm", cell="F10")
    assert "meta.template_version" not in raw.values
    assert len(raw.tables["models"]) == 30
    assert raw.tables["proposals"][19]["subject"].location == Location(sheet="Đề nghị khen thưởng", cell="B24")


_RUBRIC = default_rubric()
_LAYOUT = build_layout(_RUBRIC)


def _typed_cells(layout: Layout, sub: Submission) -> dict[tuple[str, str], Any]:
    values, tables = clerk_values(sub)
    cells: dict[tuple[str, str], Any] = {}
    for item in layout.inputs:
        cells[(item.sheet, item.cell)] = clerk_value(values.get(item.name))
    cells[("Thông tin đơn vị", "C3")] = layout.template_version
    for f in layout.fixed:
        cells[(f.sheet, f.cell)] = f.expected
    for t in layout.tables:
        for i, row in enumerate(tables[t.key]):
            for key, value in row.items():
                cells[(t.sheet, f"{t.column(key).letter}{t.first_row + i}")] = clerk_value(value)
    return cells


@settings(max_examples=150, deadline=None)
@given(submissions(_RUBRIC))
def test_submission_through_sheets_values_round_trips(sub: Submission) -> None:
    """Without a file: a Submission typed into the cells, delivered as the Sheets API would, reads back equal."""
    grid = Grid.from_range_values(_LAYOUT, _as_sheets_api(_LAYOUT, _typed_cells(_LAYOUT, sub)))
    validated = validate_grid(_LAYOUT, grid, _RUBRIC, UNITS)
    assert validated.issues == ()
    assert validated.submission == sub
    assert score(_RUBRIC, validated.submission) == score(_RUBRIC, sub)

