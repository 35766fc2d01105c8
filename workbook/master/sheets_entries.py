"""The entry sheets: "Mô hình", "Điển hình", "Đề nghị khen thưởng" — every unit's table rows, with the unit.

Columns follow ``schemas.forms`` (the same labels the units' template uses). Proposals: only units rated at
least Hoàn thành tốt nhiệm vụ may be proposed; the others are listed with the reason they are not eligible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from schemas import EXEMPLARS, MODELS, PROPOSALS, Rating, TableSpec

from .cells import HEADER_ROW, Book, CellItem, Sheet
from .data import MasterInput, UnitResult
from .form import annex_heading, finish_sheet
from .sheets_scores import DetailLayout

__all__ = ["ELIGIBLE", "EXEMPLAR_SHEET", "MODEL_SHEET", "PROPOSAL_SHEET", "eligibility", "write_entries"]

MODEL_SHEET = "Mô hình"
EXEMPLAR_SHEET = "Điển hình"
PROPOSAL_SHEET = "Đề nghị khen thưởng"
ELIGIBLE = "Đủ điều kiện"


_NEEDS = " (cần từ Hoàn thành tốt nhiệm vụ trở lên)"
_PROVISIONAL = "Không đủ điều kiện: phiếu còn lỗi, xếp loại mới là tạm tính"


def eligibility(res: UnitResult) -> str:
    """"Đủ điều kiện", or why the unit may not be proposed for commendation (rated below HTT, or provisional)."""
    if res.provisional:
        return _PROVISIONAL
    if res.rating.rank <= Rating.HTT.rank:
        return ELIGIBLE
    return f"Không đủ điều kiện: đơn vị xếp loại {res.rating.label}{_NEEDS}"


def eligibility_formula(layout: DetailLayout, key: str) -> str:
    """``eligibility`` as a formula over the unit's row of "Chi tiết tiêu chí" (its level and provisional flag)."""
    level = layout.lookup(layout.helper_col("Bậc xếp loại"), key)
    provisional = layout.lookup(layout.helper_col("Phiếu còn lỗi"), key)
    label = layout.lookup(layout.rating_col, key)
    return (f'=IF({provisional}=1,"{_PROVISIONAL}",IF({level}<={Rating.HTT.rank},"{ELIGIBLE}",'
            f'"Không đủ điều kiện: đơn vị xếp loại "&{label}&"{_NEEDS}"))')


def _value(entry: object, key: str) -> object:
    value = getattr(entry, key)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _table(
    book: Book,
    data: MasterInput,
    results: Sequence[UnitResult],
    title: str,
    spec: TableSpec,
    attr: str,
    heading: str,
    *,
    extra: bool = False,
) -> None:
    lead = ["Mã đơn vị", "Tên đơn vị"]
    lead_widths: list[float] = [14, 22]
    if extra:
        lead += ["Xếp loại đơn vị", "Tổng điểm"]
        lead_widths += [25, 9]
    tail = ["Điều kiện đề nghị"] if extra else []
    widths = [*lead_widths, *(min(max(c.width, 10), 30) for c in spec.columns), *([30] * len(tail))]
    sheet = Sheet(book, title, widths)
    annex_heading(sheet, f"{heading} – phong trào “Dân vận khéo” năm {data.year}", [f"{data.commune}, {data.province}"])
    sheet.header([*lead, *(c.label for c in spec.columns), *tail])
    layout = DetailLayout(data.rubric, len(results), data.preset)
    if extra:  # every row has the same three formulas (shared in the file), up to a unit without a card
        rows = 0
        for res in results:
            if res.row.submission is not None:
                if res.card is None:  # pragma: no cover - a submission always has a card
                    break
                rows += len(getattr(res.row.submission, attr))
        first = HEADER_ROW + 1
        sheet.fill_down = (first, first + rows - 1) if rows > 1 else None
    for res in results:
        sub = res.row.submission
        if sub is None:
            continue
        for entry in getattr(sub, attr):
            r = sheet.row + 1
            key = f"$A{r}"
            cells: list[CellItem] = [sheet.cell(res.code), sheet.cell(res.row.unit.name)]
            if extra:
                if res.card is None:  # pragma: no cover - a submission always has a card
                    cells += [sheet.cell(res.rating.label, "center"), sheet.cell(None, "num")]
                else:
                    cells += [
                        sheet.formula(layout.lookup(layout.rating_col, key), res.rating.label, "center"),
                        sheet.formula(layout.lookup(layout.total_col, key), res.total),
                    ]
            for column in spec.columns:
                value = _value(entry, column.key)
                style = "date" if isinstance(value, dt.date) else "text"
                cells.append(sheet.cell(value if value != "" else None, style))  # type: ignore[arg-type]
            if extra:
                verdict = eligibility(res)
                cells.append(sheet.formula(eligibility_formula(layout, key), verdict,
                                           "text" if verdict == ELIGIBLE else "warn"))
            sheet.append(cells)
    sheet.fill_down = None
    finish_sheet(sheet, data.generated_at)


def write_entries(book: Book, data: MasterInput, results: Sequence[UnitResult]) -> None:
    _table(book, data, results, MODEL_SHEET, MODELS, "models", "Danh sách mô hình")
    _table(book, data, results, EXEMPLAR_SHEET, EXEMPLARS, "exemplars", "Danh sách điển hình")
    _table(book, data, results, PROPOSAL_SHEET, PROPOSALS, "proposals", "Đề nghị khen thưởng", extra=True)
