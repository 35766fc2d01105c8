"""Checking a filled evaluation sheet from inside Excel: DVK_KIEMTRA and the core of the "Kiểm tra phiếu" script.

Both read the template's ranges in the order of ``Layout.ranges()`` (the same ranges the Google source
fetches in one batchGet), turn them into a Grid, and run the structure checks and ``schemas.validate``.
Pure: values in, issue rows and cell addresses out; the xlwings adapter lives in ``udfs.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from schemas import Issue, Rubric
from schemas.models import Severity
from schemas.validate import validate
from workbook.grid import Grid, check_structure, to_raw_submission
from workbook.layout import Layout, build_layout

from .functions import active_rubric, safe

__all__ = [
    "ERRORS_SHEET",
    "HEADER",
    "VALID",
    "CheckReport",
    "check_ranges",
    "dvk_kiemtra",
    "kiemtra_formula",
]

#: The sheet the "Kiểm tra phiếu" script writes.
ERRORS_SHEET = "Lỗi"
HEADER = ("Trang", "Ô", "Mã lỗi", "Nội dung")
VALID = "Hợp lệ"
_SEVERITY = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo"}


@dataclass(frozen=True)
class CheckReport:
    """What a check found: the issues, as rows for a sheet, and the cells to highlight."""

    issues: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        return not any(i.is_error for i in self.issues)

    def ordered(self) -> list[Issue]:
        """Errors first, then warnings; each in the order found (structure, information, criteria, tables)."""
        return sorted(self.issues, key=lambda i: not i.is_error)

    def rows(self) -> list[list[str]]:
        """Header + one row per issue: sheet, cell, slug, message (errors first, then warnings)."""
        ordered = self.ordered()
        return [list(HEADER), *([i.sheet or "", i.cell or "", i.code, i.message] for i in ordered)]

    def sheet_rows(self) -> list[list[str]]:
        """The "Lỗi" sheet: the rows of ``rows()`` with the severity as a fifth column, or one line when valid."""
        if not self.issues:
            return [[VALID]]
        rows = self.rows()
        ordered = self.ordered()
        return [[*rows[0], "Mức độ"], *([*r, _SEVERITY[i.severity]] for r, i in zip(rows[1:], ordered, strict=True))]

    def cells(self) -> list[tuple[str, str, bool]]:
        """(sheet, cell, is_error) of every issue with a location, each cell once (an error wins)."""
        seen: dict[tuple[str, str], bool] = {}
        for i in self.issues:
            if i.sheet and i.cell:
                seen[(i.sheet, i.cell)] = seen.get((i.sheet, i.cell), False) or i.is_error
        return [(s, c, e) for (s, c), e in seen.items()]


def check_ranges(rubric: Rubric, values: Sequence[Any], layout: Layout | None = None) -> CheckReport:
    """Check the 2-D values of ``layout.ranges()`` (in that order; missing trailing ranges are skipped)."""
    layout = layout or build_layout(rubric)
    boxes = list(layout.boxes())
    given = [_rows2d(v) for v in values]
    skipped = frozenset(boxes[len(given):])
    grid = Grid.from_range_values(layout, given)
    issues = list(check_structure(layout, grid, skip_sheets=skipped))
    issues.extend(validate(rubric, to_raw_submission(layout, grid)).issues)
    return CheckReport(tuple(issues))


def _rows2d(value: Any) -> list[list[Any]]:
    if not isinstance(value, list | tuple):
        return [[value]]
    if value and all(isinstance(r, list | tuple) for r in value):
        return [list(r) for r in value]
    return [list(value)]


def kiemtra_formula(layout: Layout) -> str:
    """The formula that checks a whole template: ``=DVK_KIEMTRA('Thông tin đơn vị'!B3:D13, …)``."""
    return "=DVK_KIEMTRA(" + ", ".join(layout.ranges()) + ")"


@safe
def dvk_kiemtra(*ranges: Any, rubric: Rubric | None = None) -> list[list[str]] | str:
    """The issues of a filled template as a spilled table (header + rows), or "Hợp lệ" when there are none."""
    rubric = rubric or active_rubric()
    if not ranges:
        return "Lỗi: cần các vùng của mẫu phiếu, theo thứ tự: " + "; ".join(build_layout(rubric).ranges())
    report = check_ranges(rubric, ranges)
    if not report.issues:
        return VALID
    return report.rows()
