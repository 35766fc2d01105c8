"""The entry sheets: "Mô hình", "Điển hình", "Đề nghị khen thưởng" — every unit's table rows, with the unit.

Columns follow ``schemas.forms`` (the same labels the units' template uses). Proposals: only units rated at
least Hoàn thành tốt nhiệm vụ may be proposed; the others are listed with the reason they are not eligible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from openpyxl.workbook import Workbook

from schemas import EXEMPLARS, MODELS, PROPOSALS, Rating, TableSpec

from .cells import Sheet, Styles
from .data import MasterInput, UnitResult

__all__ = ["ELIGIBLE", "EXEMPLAR_SHEET", "MODEL_SHEET", "PROPOSAL_SHEET", "eligibility", "write_entries"]

MODEL_SHEET = "Mô hình"
EXEMPLAR_SHEET = "Điển hình"
PROPOSAL_SHEET = "Đề nghị khen thưởng"
ELIGIBLE = "Đủ điều kiện"


def eligibility(res: UnitResult) -> str:
    """"Đủ điều kiện", or why the unit may not be proposed for commendation."""
    if res.rating.rank <= Rating.HTT.rank:
        return ELIGIBLE
    return f"Không đủ điều kiện: đơn vị xếp loại {res.rating.label} (cần từ Hoàn thành tốt nhiệm vụ trở lên)"


def _value(entry: object, key: str) -> object:
    value = getattr(entry, key)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _table(
    wb: Workbook,
    styles: Styles,
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
    lead_widths: list[float] = [12, 26]
    if extra:
        lead += ["Xếp loại đơn vị", "Tổng điểm"]
        lead_widths += [22, 10]
    tail = ["Điều kiện đề nghị"] if extra else []
    widths = [*lead_widths, *(c.width for c in spec.columns), *([40] * len(tail))]
    sheet = Sheet(wb, title, widths, styles=styles, freeze="C6")
    sheet.title_block(
        [f"{heading} – PHONG TRÀO “DÂN VẬN KHÉO” NĂM {data.year}", f"{data.commune}, {data.province}", ""]
    )
    sheet.header([*lead, *(c.label for c in spec.columns), *tail])
    for res in results:
        sub = res.row.submission
        if sub is None:
            continue
        for entry in getattr(sub, attr):
            cells = [sheet.cell(res.code), sheet.cell(res.row.unit.name)]
            if extra:
                cells += [sheet.cell(res.rating.label, "center"), sheet.cell(res.total, "num")]
            for column in spec.columns:
                value = _value(entry, column.key)
                style = "date" if isinstance(value, dt.date) else "text"
                cells.append(sheet.cell(value if value != "" else None, style))  # type: ignore[arg-type]
            if extra:
                verdict = eligibility(res)
                cells.append(sheet.cell(verdict, "text" if verdict == ELIGIBLE else "warn"))
            sheet.append(cells)
    sheet.finish()


def write_entries(wb: Workbook, styles: Styles, data: MasterInput, results: Sequence[UnitResult]) -> None:
    _table(wb, styles, data, results, MODEL_SHEET, MODELS, "models", "DANH SÁCH MÔ HÌNH")
    _table(wb, styles, data, results, EXEMPLAR_SHEET, EXEMPLARS, "exemplars", "DANH SÁCH ĐIỂN HÌNH")
    _table(
        wb, styles, data, results, PROPOSAL_SHEET, PROPOSALS, "proposals", "ĐỀ NGHỊ KHEN THƯỞNG", extra=True
    )
