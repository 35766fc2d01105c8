"""The hidden "Danh mục" sheet (choice lists and level points) and the data validation of every input.

Drop-downs reference a range of that sheet rather than an inline list: inline lists are limited to 255
characters, and a range works the same in Excel, LibreOffice and Google Sheets. Every validation has
``showErrorMessage`` on (openpyxl leaves it off) with a Vietnamese title and message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.utils.cell import get_column_letter as _col
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from schemas.rubric import Rubric, RuleKind
from schemas.validate import YEARS

from .layout import LISTS_SHEET, quote_sheet
from .styles import BODY, BOLD, HEADER_FILL, protect
from .text_cells import put_text

__all__ = ["Lists", "add_validation", "write_lists"]

_DATE_MIN, _DATE_MAX = 36526, 73415  # 01/01/2000 … 31/12/2100 as serial numbers
TEXT_MAX = 1000


@dataclass
class Lists:
    """Where each choice list lives on "Danh mục"."""

    ranges: dict[tuple[str, ...], str] = field(default_factory=dict)  # choices → "'Danh mục'!$A$2:$A$4"
    lookups: dict[str, str] = field(default_factory=dict)  # criterion code → "'Danh mục'!$A$2:$B$4"


def write_lists(wb: Workbook, rubric: Rubric, extra: list[tuple[str, tuple[str, ...]]]) -> Lists:
    """Write the lists sheet (hidden): one (label, points) block per level criterion, then ``extra`` lists."""
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    lists = Lists()
    sheet = quote_sheet(LISTS_SHEET)
    col = 1
    for c in rubric.criteria:
        if c.rule is not RuleKind.LEVEL:
            continue
        ws.cell(row=1, column=col, value=f"{c.code} – mức").font = BOLD
        ws.cell(row=1, column=col + 1, value="Điểm").font = BOLD
        for i, level in enumerate(c.levels):
            label = ws.cell(row=2 + i, column=col)
            put_text(label, level.label)  # a rubric's wording is text (see ``text_cells``)
            label.font = BODY
            points = level.points
            ws.cell(row=2 + i, column=col + 1, value=int(points) if points == points.to_integral_value() else float(points))
        last = 1 + len(c.levels)
        a, b = _col(col), _col(col + 1)
        lists.lookups[c.code] = f"{sheet}!${a}$2:${b}${last}"
        lists.ranges.setdefault(tuple(lv.label for lv in c.levels), f"{sheet}!${a}$2:${a}${last}")
        col += 3
    for title, choices in extra:
        if choices in lists.ranges:
            continue
        ws.cell(row=1, column=col, value=title).font = BOLD
        for i, choice in enumerate(choices):
            ws.cell(row=2 + i, column=col, value=choice).font = BODY
        letter = _col(col)
        lists.ranges[choices] = f"{sheet}!${letter}$2:${letter}${1 + len(choices)}"
        col += 2
    for n in range(1, col):
        ws.column_dimensions[_col(n)].width = 34 if n % 3 != 2 else 8
        ws.cell(row=1, column=n).fill = HEADER_FILL
    protect(ws)
    return lists


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def add_validation(
    ws: Worksheet,
    sqref: str,
    kind: str,
    label: str,
    *,
    choices: tuple[str, ...] = (),
    list_ref: str | None = None,
    help: str = "",
    year: bool = False,
) -> DataValidation:
    """Data validation for one input (or one table column): its type, a prompt naming what to type, and a
    Vietnamese error message. ``kind``: number | integer | level | text | date."""
    if kind == "level":
        assert list_ref is not None, label
        options = "; ".join(choices)
        dv = DataValidation(type="list", formula1=list_ref, allow_blank=True)
        dv.errorTitle = "Chưa đúng mức"
        dv.error = _cut(f"“{label}”: hãy chọn một mức trong danh sách ({options}).", 225)
        prompt = help or f"Chọn trong danh sách: {options}."
    elif kind == "number":
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.errorTitle = "Chưa đúng kiểu số"
        dv.error = _cut(f"“{label}” phải là một số không âm, ví dụ 85 hoặc 85,5. Không nhập chữ, không nhập dấu %.", 225)
        prompt = help or "Nhập một số (không âm)."
    elif kind == "integer" and year:
        dv = DataValidation(type="whole", operator="between", formula1=str(YEARS.start), formula2=str(YEARS.stop - 1),
                            allow_blank=True)
        dv.errorTitle = "Năm không hợp lệ"
        dv.error = f"Năm đánh giá phải từ {YEARS.start} đến {YEARS.stop - 1}."
        prompt = help or f"Năm từ {YEARS.start} đến {YEARS.stop - 1}."
    elif kind == "integer":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.errorTitle = "Chưa đúng số nguyên"
        dv.error = _cut(f"“{label}” phải là số nguyên không âm: 0, 1, 2, 3 …", 225)
        prompt = help or "Nhập số nguyên (0 nếu không có)."
    elif kind == "date":
        dv = DataValidation(type="date", operator="between", formula1=str(_DATE_MIN), formula2=str(_DATE_MAX),
                            allow_blank=True)
        dv.errorTitle = "Ngày không hợp lệ"
        dv.error = _cut(f"“{label}”: hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/12/2026.", 225)
        prompt = help or "Nhập ngày dạng ngày/tháng/năm, ví dụ 15/12/2026."
    else:
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(TEXT_MAX), allow_blank=True)
        dv.errorTitle = "Nội dung quá dài"
        dv.error = _cut(f"“{label}”: tối đa {TEXT_MAX} ký tự. Hãy ghi ngắn gọn, chi tiết để trong hồ sơ minh chứng.", 225)
        prompt = help
    dv.showErrorMessage = True
    dv.errorStyle = "stop"
    if prompt:
        dv.showInputMessage = True
        dv.promptTitle = _cut(label, 32)
        dv.prompt = _cut(prompt, 250)
    dv.add(sqref)
    ws.add_data_validation(dv)
    return dv
