"""The two score sheets: "Chi tiết tiêu chí" (self score and appraisal per criterion) and "Tổng hợp" (ranked).

Totals are native formulas, so the workbook adds up when staff type appraisal values in Excel without the
add-in (or in LibreOffice): in "Chi tiết tiêu chí" each criterion counts its "thẩm định" cell when it holds
a number, else its "tự chấm" cell; "Tổng hợp" looks its unit's row up by "Mã đơn vị" (INDEX/MATCH), so
sorting either sheet keeps the link. Rating and rank are values: they are recomputed (quota, caps, knock-outs)
on the next ``dvk report``. Units without a usable submission have no formulas (KHT, no total).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from openpyxl.utils import get_column_letter as col
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from schemas import Criterion, Rubric

from .cells import HEADER_ROW, Sheet, Styles
from .data import MasterInput, UnitResult

__all__ = [
    "DETAIL_SHEET",
    "NOTE_HEADER",
    "SUMMARY_SHEET",
    "DetailLayout",
    "appraisal_header",
    "self_header",
    "write_detail",
    "write_summary",
]

SUMMARY_SHEET = "Tổng hợp"
DETAIL_SHEET = "Chi tiết tiêu chí"
NOTE_HEADER = "Ghi chú của hội đồng"
_FIRST = HEADER_ROW + 1


def self_header(code: str) -> str:
    return f"{code} tự chấm"


def appraisal_header(code: str) -> str:
    return f"{code} thẩm định"


@dataclass(frozen=True)
class DetailLayout:
    """Column numbers of "Chi tiết tiêu chí" for a rubric."""

    rubric: Rubric
    nrows: int

    @cached_property
    def criteria(self) -> tuple[Criterion, ...]:
        return self.rubric.criteria

    @cached_property
    def fields(self) -> tuple[str, ...]:
        return self.rubric.fields

    @cached_property
    def _groups(self) -> dict[str, tuple[int, ...]]:
        """Criterion indexes per field (base criteria), and under "+" the bonus, under "-" the penalty ones."""
        groups: dict[str, list[int]] = {f: [] for f in self.fields}
        groups["+"], groups["-"] = [], []
        for i, c in enumerate(self.criteria):
            groups["+" if c.is_bonus else "-" if c.is_penalty else c.field].append(i)
        return {k: tuple(v) for k, v in groups.items()}

    def self_col(self, i: int) -> int:
        return 3 + 2 * i

    def appraisal_col(self, i: int) -> int:
        return 4 + 2 * i

    @property
    def note_col(self) -> int:
        return 3 + 2 * len(self.criteria)

    def field_col(self, j: int) -> int:
        return self.note_col + 1 + j

    @cached_property
    def bonus_col(self) -> int:
        return self.field_col(len(self.fields))

    @property
    def penalty_col(self) -> int:
        return self.bonus_col + 1

    @property
    def total_col(self) -> int:
        return self.bonus_col + 2

    @property
    def rating_col(self) -> int:
        return self.bonus_col + 3

    @property
    def last_row(self) -> int:
        return HEADER_ROW + max(self.nrows, 1)

    def headers(self) -> list[str]:
        out = ["Mã đơn vị", "Tên đơn vị"]
        for c in self.criteria:
            out += [self_header(c.code), appraisal_header(c.code)]
        return [*out, NOTE_HEADER, *self.rubric.fields, "Điểm thưởng", "Điểm trừ", "Tổng điểm", "Xếp loại"]

    def lookup(self, column: int, key: str) -> str:
        """Formula text: the value of ``column`` in the detail row whose "Mã đơn vị" equals cell ``key``."""
        first, last = _FIRST, self.last_row
        area = f"'{DETAIL_SHEET}'!${col(column)}${first}:${col(column)}${last}"
        codes = f"'{DETAIL_SHEET}'!$A${first}:$A${last}"
        return f"INDEX({area},MATCH({key},{codes},0))"

    def _effective(self, i: int, r: int) -> str:
        a, s = col(self.appraisal_col(i)), col(self.self_col(i))
        return f"IF(ISNUMBER({a}{r}),{a}{r},{s}{r})"

    def field_formula(self, field: str, r: int) -> str:
        parts = [self._effective(i, r) for i in self._groups[field]]
        return "=" + ("+".join(parts) or "0")

    def bonus_formula(self, r: int) -> str:
        parts = [self._effective(i, r) for i in self._groups["+"]]
        return f"=MIN({self.rubric.bonus_cap},{'+'.join(parts) or '0'})"

    def penalty_formula(self, r: int) -> str:
        parts = [f"ABS({self._effective(i, r)})" for i in self._groups["-"]]
        return f"=MIN({self.rubric.penalty_cap},{'+'.join(parts) or '0'})"

    def total_formula(self, r: int) -> str:
        first, last = col(self.field_col(0)), col(self.field_col(len(self.fields) - 1))
        return f"=SUM({first}{r}:{last}{r})+{col(self.bonus_col)}{r}-{col(self.penalty_col)}{r}"


def _title(data: MasterInput, what: str) -> list[str]:
    preset = data.rubric.preset(data.preset)
    return [
        f"{what} – PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO” NĂM {data.year}",
        f"{data.commune}, {data.province} · Bộ tiêu chí: {data.rubric.name} · Cách xếp loại: {preset.name}",
        f"Lập lúc {data.generated_at:%d/%m/%Y %H:%M}. Tổng điểm tự cập nhật khi nhập cột “thẩm định”; "
        "xếp loại và xếp hạng được tính lại khi chạy lại dvk report.",
    ]


def write_detail(wb: Workbook, styles: Styles | None, data: MasterInput, results: Sequence[UnitResult]) -> Sheet:
    """"Chi tiết tiêu chí": one row per unit, in the order of ``results``."""
    layout = DetailLayout(data.rubric, len(results))
    ncrit = len(layout.criteria)
    widths = [12, 30, *([9] * (2 * ncrit)), 30, *([10] * len(data.rubric.fields)), 10, 10, 11, 24]
    sheet = Sheet(wb, DETAIL_SHEET, widths, styles=styles, freeze=f"C{_FIRST}")
    sheet.title_block(_title(data, "ĐIỂM THEO TIÊU CHÍ"))
    sheet.header(layout.headers())
    for res in results:
        r = sheet.row + 1
        cells = [sheet.cell(res.code), sheet.cell(res.row.unit.name)]
        own = {s.code: s.points for s in res.self_card.criteria} if res.self_card else {}
        for c in layout.criteria:
            cells.append(sheet.cell(own.get(c.code), "num"))
            if c.code in res.invalid:
                cells.append(sheet.cell(str(res.invalid[c.code]), "staff_bad"))
            else:
                cells.append(sheet.cell(res.appraisal.get(c.code), "staff_num"))
        cells.append(sheet.cell(res.note, "staff_text"))
        if res.card is None:
            cells += [sheet.cell(None, "num") for _ in range(len(layout.fields) + 3)]
        else:
            cells += [sheet.formula(layout.field_formula(f, r)) for f in layout.fields]
            cells += [
                sheet.formula(layout.bonus_formula(r)),
                sheet.formula(layout.penalty_formula(r)),
                sheet.formula(layout.total_formula(r), "total"),
            ]
        cells.append(sheet.cell(res.rating.label, "center"))
        sheet.append(cells)
    if results:
        _validations(sheet, layout)
    sheet.finish()
    return sheet


def _validations(sheet: Sheet, layout: DetailLayout) -> None:
    for i, c in enumerate(layout.criteria):
        letter = col(layout.appraisal_col(i))
        what = "số điểm bị trừ (số dương)" if c.is_penalty else "điểm thẩm định"
        dv = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2=str(c.max_points),
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorStyle="stop",
            errorTitle="Điểm thẩm định không hợp lệ",
            error=f"{c.code}: hãy nhập {what} từ 0 đến {c.max_points} (để trống nếu giữ điểm tự chấm).",
            promptTitle=f"{c.code} thẩm định",
            prompt=f"Nhập {what} từ 0 đến {c.max_points}; để trống thì giữ điểm tự chấm.",
        )
        dv.add(f"{letter}{_FIRST}:{letter}{layout.last_row}")
        sheet.ws.data_validations.append(dv)


SUMMARY_HEADERS_AFTER_FIELDS = (
    "Điểm thưởng", "Điểm trừ", "Tổng điểm", "Xếp loại", "Xếp hạng", "Tự chấm", "Chênh lệch", "Cần xem lại", "Lý do",
)


def write_summary(wb: Workbook, styles: Styles | None, data: MasterInput, results: Sequence[UnitResult]) -> Sheet:
    """"Tổng hợp": the title block, then one row per unit, ranked; sums looked up from the detail sheet."""
    layout = DetailLayout(data.rubric, len(results))
    fields = data.rubric.fields
    headers = ["Mã đơn vị", "Tên đơn vị", "Loại", *fields, *SUMMARY_HEADERS_AFTER_FIELDS]
    widths = [12, 32, 21, *([10] * len(fields)), 10, 10, 11, 24, 9, 10, 10, 10, 44]
    sheet = Sheet(wb, SUMMARY_SHEET, widths, styles=styles, freeze=f"C{_FIRST}")
    sheet.title_block(_title(data, "BẢNG TỔNG HỢP KẾT QUẢ"))
    sheet.header(headers)
    nf = len(fields)
    total_letter, self_letter = col(4 + nf + 2), col(4 + nf + 5)
    for res in results:
        r = sheet.row + 1
        unit = res.row.unit
        cells = [sheet.cell(unit.code), sheet.cell(unit.name), sheet.cell(unit.kind.value)]
        if res.card is None:
            cells += [sheet.cell(None, "num") for _ in range(nf + 3)]
        else:
            key = f"$A{r}"
            cells += [sheet.formula(layout.lookup(layout.field_col(j), key)) for j in range(nf)]
            cells += [
                sheet.formula(layout.lookup(layout.bonus_col, key)),
                sheet.formula(layout.lookup(layout.penalty_col, key)),
                sheet.formula(
                    f"SUM({col(4)}{r}:{col(3 + nf)}{r})+{col(4 + nf)}{r}-{col(5 + nf)}{r}", "total"
                ),
            ]
        cells.append(sheet.cell(res.rating.label, "center"))
        cells.append(sheet.cell(res.rank, "int"))
        cells.append(sheet.cell(res.self_total, "num"))
        cells.append(sheet.formula(f"{total_letter}{r}-{self_letter}{r}") if res.card else sheet.cell(None, "num"))
        flagged = res.row.resubmitted_after_appraisal
        cells.append(sheet.cell("Có" if flagged else "", "flag"))
        reasons = list(res.reasons)
        if flagged:
            reasons.append("Đơn vị nộp lại phiếu sau khi đã thẩm định: hội đồng cần xem lại điểm thẩm định")
        cells.append(sheet.cell("; ".join(reasons)))
        sheet.append(cells)
    sheet.finish()
    return sheet
