"""The core of the "Cập nhật tổng hợp" script: recompute totals, ratings and ranks of the master workbook.

Input: the values of the sheets "Chi tiết tiêu chí" and "Tổng hợp" from A1 (2-D lists, as xlwings reads
them). Columns are found by their header text: "Mã đơn vị", "<code> tự chấm", "<code> thẩm định",
"Tổng điểm", "Xếp loại", "Xếp hạng"; the discipline and knock-out columns are used when the sheet has them
(headed like the unit information fields). A criterion's points are the appraisal when typed, otherwise the
self score, brought into range as the sync does (``schemas.scoring.clamp_points``). Output: the columns
to write back. Pure; the xlwings adapter lives in ``udfs.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from schemas import CriterionScore, HeadDiscipline, Rating, Rubric, ScoreCard, apply_quota, rank, rate
from schemas.forms import INFO_FIELDS, YES_NO
from schemas.scoring import clamp_points, total_of
from schemas.text import canonical_code, clean_text, fold
from schemas.validate import match_level
from schemas.values import ValueProblem, is_blank, parse_number
from workbook.layout import a1

from .functions import exact

__all__ = ["DETAIL_SHEET", "SUMMARY_SHEET", "ColumnWrite", "MasterUpdate", "rating_counts", "update_master"]

DETAIL_SHEET = "Chi tiết tiêu chí"
SUMMARY_SHEET = "Tổng hợp"
_CODE, _TOTAL, _RATING, _RANK = "Mã đơn vị", "Tổng điểm", "Xếp loại", "Xếp hạng"
_LABELS = {f.key: f.label for f in INFO_FIELDS}
_HEADER_SCAN = 15


@dataclass(frozen=True)
class ColumnWrite:
    """Values to write down one column from ``cell`` (one value per row)."""

    sheet: str
    cell: str
    values: tuple[Any, ...]

    def as_column(self) -> list[list[Any]]:
        return [[v] for v in self.values]


@dataclass(frozen=True)
class MasterUpdate:
    writes: tuple[ColumnWrite, ...]
    notes: tuple[str, ...]  # Vietnamese remarks: values ignored, columns missing
    cards: tuple[ScoreCard, ...]


@dataclass(frozen=True)
class _Table:
    header_row: int  # 1-based
    columns: dict[str, int]  # folded header → 0-based column
    rows: list[tuple[int, list[Any]]]  # (1-based row, values) of unit rows

    def col(self, header: str) -> int | None:
        return self.columns.get(fold(header))


def _table(values: Sequence[Sequence[Any]]) -> _Table | None:
    grid: list[list[Any]] = [list(r) if isinstance(r, list | tuple) else [r] for r in values]
    for i, row in enumerate(grid[:_HEADER_SCAN]):
        headers = {fold(clean_text(str(v))): j for j, v in enumerate(row) if isinstance(v, str) and v.strip()}
        if fold(_CODE) in headers:
            code_col = headers[fold(_CODE)]
            rows = []
            for k, r in enumerate(grid[i + 1:], start=i + 2):
                code = r[code_col] if code_col < len(r) else None
                if is_blank(code):
                    break
                rows.append((k, r))
            return _Table(i + 1, headers, rows)
    return None


def _cell(row: list[Any], col: int | None) -> Any:
    if col is None or col >= len(row):
        return None
    value = row[col]
    return None if is_blank(value) else value


def _discipline(value: Any) -> HeadDiscipline:
    if value is None:
        return HeadDiscipline.NONE
    choice, _ = match_level(str(value), tuple(d.value for d in HeadDiscipline))
    return HeadDiscipline(choice) if choice else HeadDiscipline.NONE


def _yes(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return value is not None and match_level(str(value), YES_NO)[0] == "Có"


def _points(value: Any, where: str, notes: list[str]) -> Fraction | None:
    if value is None:
        return None
    try:
        return exact(parse_number(value))
    except ValueProblem:
        notes.append(f"{where}: “{value}” không phải là số, đã bỏ qua.")
        return None


def _card(rubric: Rubric, table: _Table, row_no: int, row: list[Any], preset: str | None, notes: list[str]) -> ScoreCard:
    code = clean_text(str(row[table.col(_CODE) or 0]))
    scores: list[CriterionScore] = []
    points: dict[str, Fraction] = {}
    for c in rubric.criteria:
        own = _points(_cell(row, table.col(f"{c.code} tự chấm")), f"{DETAIL_SHEET} dòng {row_no}, {c.code} tự chấm", notes)
        appraised = _points(
            _cell(row, table.col(f"{c.code} thẩm định")), f"{DETAIL_SHEET} dòng {row_no}, {c.code} thẩm định", notes
        )
        chosen = appraised if appraised is not None else own
        value = clamp_points(c, chosen) if chosen is not None else Fraction(0)
        if chosen is not None and value != (abs(chosen) if c.is_penalty else chosen):
            notes.append(f"{DETAIL_SHEET} dòng {row_no}: điểm {c.code} ({float(chosen):g}) ngoài khoảng cho phép, đã tính là {float(value):g}.")
        points[c.code] = value
        scores.append(CriterionScore(code=c.code, points=value, max_points=c.max_fraction, base=c.is_base,
                                     overridden=appraised is not None))
    base, bonus, penalty, total = total_of(rubric, points)
    rating, reasons = rate(
        rubric.preset(preset), total,
        has_zero=any(s.base and s.points == 0 for s in scores),
        head_discipline=_discipline(_cell(row, table.col(_LABELS["head_discipline"]))),
        knockout=_yes(_cell(row, table.col(_LABELS["ko_corruption"]))) or _yes(_cell(row, table.col(_LABELS["ko_prosecuted"]))),
    )
    return ScoreCard(unit_code=code, year=0, criteria=tuple(scores), base_total=base, bonus=bonus, penalty=penalty,
                     total=total, rating=rating, reasons=reasons)


def _column(sheet: str, table: _Table, header: str, values: list[Any], notes: list[str]) -> ColumnWrite | None:
    col = table.col(header)
    if col is None:
        notes.append(f"Trang “{sheet}” không có cột “{header}”, không ghi được.")
        return None
    first_row = table.rows[0][0] if table.rows else table.header_row + 1
    return ColumnWrite(sheet, a1(col + 1, first_row), tuple(values))


def update_master(
    rubric: Rubric,
    detail: Sequence[Sequence[Any]],
    summary: Sequence[Sequence[Any]] | None = None,
    *,
    preset: str | None = None,
) -> MasterUpdate:
    """Recompute every unit of the detail sheet; the quota of the preset applies across all of them."""
    notes: list[str] = []
    table = _table(detail)
    if table is None:
        return MasterUpdate((), (f"Trang “{DETAIL_SHEET}” không có dòng tiêu đề có cột “{_CODE}”.",), ())
    spec = rubric.preset(preset)
    cards = apply_quota(spec, [_card(rubric, table, n, row, preset, notes) for n, row in table.rows])
    totals = [float(c.total) for c in cards]
    ranks = rank([c.total for c in cards])
    writes = [
        _column(DETAIL_SHEET, table, _TOTAL, totals, notes),
        _column(DETAIL_SHEET, table, _RATING, [c.rating.label for c in cards], notes),
    ]
    by_code = {canonical_code(c.unit_code): (c, r) for c, r in zip(cards, ranks, strict=True)}
    other = _table(summary) if summary is not None else None
    if summary is not None and other is None:
        notes.append(f"Trang “{SUMMARY_SHEET}” không có dòng tiêu đề có cột “{_CODE}”.")
    if other is not None:
        found = [by_code.get(canonical_code(r[other.col(_CODE) or 0])) for _, r in other.rows]
        for (n, _), hit in zip(other.rows, found, strict=True):
            if hit is None:
                notes.append(f"Trang “{SUMMARY_SHEET}” dòng {n}: đơn vị không có trong “{DETAIL_SHEET}”, để trống.")
        writes += [
            _column(SUMMARY_SHEET, other, _TOTAL, [float(h[0].total) if h else None for h in found], notes),
            _column(SUMMARY_SHEET, other, _RATING, [h[0].rating.label if h else None for h in found], notes),
            _column(SUMMARY_SHEET, other, _RANK, [h[1] if h else None for h in found], notes),
        ]
    return MasterUpdate(tuple(w for w in writes if w is not None and w.values), tuple(notes), tuple(cards))


def rating_counts(cards: Sequence[ScoreCard]) -> dict[Rating, int]:
    """How many units got each rating (for the script's closing message)."""
    return {r: sum(1 for c in cards if c.rating is r) for r in Rating}
