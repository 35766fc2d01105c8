"""Fixtures and Hypothesis strategies for the Excel-function tests: facts a unit could type, real .xlsx files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import strategies as st

from schemas import Criterion, Rubric, default_rubric
from schemas.rubric import RuleKind
from workbook.layout import Layout, build_layout


@pytest.fixture(scope="session")
def rubric() -> Rubric:
    return default_rubric()


@pytest.fixture(scope="session")
def layout(rubric: Rubric) -> Layout:
    return build_layout(rubric)


def _decimal(lo: int, hi: int) -> st.SearchStrategy[Decimal]:
    return st.integers(lo * 100, hi * 100).map(lambda n: Decimal(n) / 100)


def criterion_facts(rubric: Rubric, c: Criterion) -> st.SearchStrategy[dict[str, Decimal | str]]:
    """Facts for one criterion that pass validation (name → parsed value)."""
    specs = c.inputs
    if c.rule is RuleKind.LEVEL:
        return st.sampled_from([lv.label for lv in c.levels]).map(lambda v: {specs[0].name: v})
    if c.rule in (RuleKind.COUNT, RuleKind.DEDUCT, RuleKind.PENALTY, RuleKind.WEIGHTED):
        return st.fixed_dictionaries({s.name: st.integers(0, 6).map(Decimal) for s in specs})
    if c.rule is RuleKind.TIERS:
        n0 = rubric.satisfaction.min_sample
        return st.integers(n0, 400).flatmap(
            lambda n: st.integers(0, n).map(lambda s: {specs[0].name: Decimal(n), specs[1].name: Decimal(s)})
        )
    low = 0 if c.zero_target == "full" else 1
    target = _decimal(low, 500).filter(lambda t: t > 0 or c.zero_target == "full")

    def with_result(t: Decimal) -> st.SearchStrategy[dict[str, Decimal | str]]:
        top = int(t) if c.result_le_target else 700
        result = _decimal(0, top).filter(lambda r: r <= t or not c.result_le_target)
        parts: dict[str, st.SearchStrategy[Any]] = {specs[0].name: st.just(t), specs[1].name: result}
        if c.zero_if is not None:
            parts[specs[2].name] = st.sampled_from(c.zero_if.choices)
        return st.fixed_dictionaries(parts)

    return target.flatmap(with_result)


def all_facts(rubric: Rubric) -> st.SearchStrategy[dict[str, Decimal | str]]:
    def merge(parts: list[dict[str, Decimal | str]]) -> dict[str, Decimal | str]:
        out: dict[str, Decimal | str] = {}
        for p in parts:
            out.update(p)
        return out

    return st.tuples(*(criterion_facts(rubric, c) for c in rubric.criteria)).map(lambda t: merge(list(t)))


def as_classic(value: Decimal | str) -> Any:
    """How classic xlwings passes a typed value: numbers as float."""
    return float(value) if isinstance(value, Decimal) else value


def as_officejs(value: Decimal | str) -> Any:
    """How an Office.js runtime passes it: a 2-D list, whole numbers as int."""
    if isinstance(value, Decimal):
        return [[int(value) if value == value.to_integral_value() else float(value)]]
    return [[value]]


def write_sheets(path: Path, cells: Mapping[tuple[str, str], Any], sheets: tuple[str, ...]) -> Path:
    """A real .xlsx with the given sheets and cell values (what a unit's filled file holds)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in sheets:
        wb.create_sheet(name)
    for (sheet, cell), value in cells.items():
        wb[sheet][cell] = value
    wb.save(path)
    return path


def read_ranges(path: Path, layout: Layout, *, officejs: bool = False) -> list[list[list[Any]]]:
    """The values of ``layout.ranges()`` as a runtime passes them: classic (openpyxl's floats, datetimes,
    None) or Office.js (ints, serial dates, "" for blanks)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    out = []
    for sheet, (a, b) in layout.boxes().items():
        rows = [[c.value for c in row] for row in wb[sheet][f"{a}:{b}"]]
        if officejs:
            rows = [[_officejs_cell(v) for v in row] for row in rows]
        out.append(rows)
    return out


def _officejs_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return (value - dt.datetime(1899, 12, 30)).days
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
