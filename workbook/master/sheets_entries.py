"""The entry sheets: "Mô hình", "Điển hình", "Đề nghị khen thưởng".

"Mô hình" and "Điển hình": every unit's table rows, with the unit (columns of ``schemas.forms``, the labels of the
units' template), then what the commune register knows of the row (``schemas.register``): its code, its first
year, its status across the years, and a notice when its decision number is used by another unit's entry or with
two dates.

"Đề nghị khen thưởng": the council's candidates (``candidates``): the eligible units of the ranking, the models
at “Tiêu biểu”/“Đề nghị khen thưởng”, the recognised exemplars and the units' nominations, each with its source,
whether it is eligible (or why not, the real cause first), and its place against the Giấy khen quota.
The columns of the earlier proposals sheet are kept, in their order; the new ones are added after them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from schemas import EXEMPLARS, MODELS, PROPOSALS, Rating, TableSpec
from schemas.register import EntryKind, ModelRegister, build_register, sightings_of

from .candidates import ELIGIBLE, NEEDS, PROVISIONAL, Candidate, CandidateList, candidates, eligibility
from .cells import Book, CellItem, Sheet
from .data import MasterInput, UnitResult
from .form import annex_heading, finish_sheet
from .sheets_scores import DetailLayout

__all__ = [
    "ELIGIBLE", "EXEMPLAR_SHEET", "MODEL_SHEET", "PROPOSAL_SHEET", "REGISTER_COLUMNS", "eligibility", "register_of",
    "write_entries",
]

MODEL_SHEET = "Mô hình"
EXEMPLAR_SHEET = "Điển hình"
PROPOSAL_SHEET = "Đề nghị khen thưởng"
#: The columns the register adds to "Mô hình" and "Điển hình", after the sheet's own.
REGISTER_COLUMNS = ("Mã trong sổ", "Năm đầu tiên", "Tình trạng qua các năm", "Kiểm tra số quyết định")
#: The columns the candidates add to "Đề nghị khen thưởng", after those of the units' proposals.
CANDIDATE_COLUMNS = ("Nguồn", "Thứ tự xét", "Số lượng Giấy khen")


def register_of(data: MasterInput) -> ModelRegister:
    """The register the master shows: the ledger's (``MasterInput.register``), or this year's rows alone."""
    if data.register is not None:
        return data.register
    return build_register(s for row in data.units if row.submission is not None
                          for s in sightings_of(row.code, data.year, row.submission))


def eligibility_formula(layout: DetailLayout, key: str) -> str:
    """``eligibility`` as a formula over the unit's row of "Chi tiết tiêu chí" (its level and provisional flag)."""
    level = layout.lookup(layout.helper_col("Bậc xếp loại"), key)
    provisional = layout.lookup(layout.helper_col("Phiếu còn lỗi"), key)
    label = layout.lookup(layout.rating_col, key)
    return (f'=IF({provisional}=1,"{PROVISIONAL}",IF({level}<={Rating.HTT.rank},"{ELIGIBLE}",'
            f'"Không đủ điều kiện: đơn vị xếp loại "&{label}&"{NEEDS}"))')


def _provisional_formula(layout: DetailLayout, key: str, otherwise: str) -> str:
    """For a subject that is not the unit: only the unit's provisional flag can change what dvk decided."""
    provisional = layout.lookup(layout.helper_col("Phiếu còn lỗi"), key)
    return f'=IF({provisional}=1,"{PROVISIONAL}","{otherwise.replace(chr(34), chr(34) * 2)}")'


def _value(entry: object, key: str) -> object:
    value = getattr(entry, key)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _entry_cells(sheet: Sheet, spec: TableSpec, entry: object) -> list[CellItem]:
    cells: list[CellItem] = []
    for column in spec.columns:
        value = _value(entry, column.key)
        style = "date" if isinstance(value, dt.date) else "text"
        cells.append(sheet.cell(value if value != "" else None, style))  # type: ignore[arg-type]
    return cells


def _entries(book: Book, data: MasterInput, results: Sequence[UnitResult], register: ModelRegister, title: str,
             spec: TableSpec, kind: EntryKind, heading: str) -> None:
    widths = [14, 22, *(min(max(c.width, 10), 30) for c in spec.columns), 11, 9, 30, 34]
    sheet = Sheet(book, title, widths)
    annex_heading(sheet, f"{heading} – phong trào “Dân vận khéo” năm {data.year}", [f"{data.commune}, {data.province}"])
    sheet.header(["Mã đơn vị", "Tên đơn vị", *(c.label for c in spec.columns), *REGISTER_COLUMNS])
    years = [y for y in register.years if y <= data.year]
    for res in results:
        sub = res.row.submission
        if sub is None:
            continue
        for entry in getattr(sub, kind.value):
            cells = [sheet.cell(res.code), sheet.cell(res.row.unit.name), *_entry_cells(sheet, spec, entry)]
            found = register.find(kind, res.code, entry.name)
            if found is None:  # pragma: no cover - every row of the year is in the register built from it
                cells += [sheet.cell(None), sheet.cell(None), sheet.cell(None), sheet.cell(None)]
            else:
                notes = register.notices(found.code, data.year)
                cells += [
                    sheet.cell(found.code, "center"), sheet.cell(found.first_year, "int"),
                    sheet.cell(found.trend([y for y in years if y >= found.first_year])),
                    sheet.cell(" ".join(notes) or None, "warn" if notes else "text"),
                ]
            sheet.append(cells)
    finish_sheet(sheet, data.generated_at)


def _candidate_verdict(sheet: Sheet, layout: DetailLayout, c: Candidate, key: str) -> CellItem:
    verdict = c.verdict
    style = "text" if c.eligible else "warn"
    if c.is_unit:
        return sheet.formula(eligibility_formula(layout, key), verdict, style)
    if c.eligible or c.reason == PROVISIONAL:
        otherwise = "; ".join([ELIGIBLE, *([c.council] if c.council else [])])
        return sheet.formula(_provisional_formula(layout, key, otherwise), verdict, style)
    return sheet.cell(verdict, style)


def _proposals(book: Book, data: MasterInput, results: Sequence[UnitResult], listed: CandidateList) -> None:
    spec = PROPOSALS
    widths = [14, 22, 25, 9, *(min(max(c.width, 10), 28) for c in spec.columns), 28, 14, 7, 26]
    sheet = Sheet(book, PROPOSAL_SHEET, widths)
    quota = f"; số lượng Giấy khen của Hội đồng: {listed.quota}" if listed.quota is not None else ""
    annex_heading(sheet, f"Đề nghị khen thưởng – phong trào “Dân vận khéo” năm {data.year}",
                  [f"{data.commune}, {data.province}{quota}"])
    sheet.header(["Mã đơn vị", "Tên đơn vị", "Xếp loại đơn vị", "Tổng điểm", *(c.label for c in spec.columns),
                  "Điều kiện đề nghị", *CANDIDATE_COLUMNS])
    layout = DetailLayout(data.rubric, len(results), data.preset)
    for c in listed:
        key = f"$A{sheet.row + 1}"
        res = c.result
        cells: list[CellItem] = [sheet.cell(res.code), sheet.cell(res.row.unit.name)]
        if res.card is None:  # pragma: no cover - a candidate always comes from a scored sheet
            cells += [sheet.cell(res.rating.label, "center"), sheet.cell(None, "num")]
        else:
            cells += [
                sheet.formula(layout.lookup(layout.rating_col, key), res.rating.label, "center"),
                sheet.formula(layout.lookup(layout.total_col, key), res.total),
            ]
        female = None if c.female is None else ("Có" if c.female else "Không")
        cells += [sheet.cell(c.subject), sheet.cell(c.kind), sheet.cell(c.form), sheet.cell(c.achievements or None),
                  sheet.cell("; ".join(c.models) or None), sheet.cell(female, "center")]
        cells.append(_candidate_verdict(sheet, layout, c, key))
        note = c.quota_note or ("Đề nghị Bằng khen: không tính vào số lượng Giấy khen" if c.eligible and c.upward else "")
        cells += [sheet.cell(c.source_text), sheet.cell(c.number, "int"),
                  sheet.cell(note or None, "warn" if c.within_quota is False else "text")]
        sheet.append(cells)
    finish_sheet(sheet, data.generated_at)


def write_entries(book: Book, data: MasterInput, results: Sequence[UnitResult]) -> None:
    register = register_of(data)
    _entries(book, data, results, register, MODEL_SHEET, MODELS, EntryKind.MODEL, "Danh sách mô hình")
    _entries(book, data, results, register, EXEMPLAR_SHEET, EXEMPLARS, EntryKind.EXEMPLAR, "Danh sách điển hình")
    _proposals(book, data, results, candidates(results, quota=data.giay_khen_quota))
