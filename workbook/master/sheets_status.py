"""Status sheets: "Tình trạng nộp" (per unit), "Lỗi" (every open issue), "Lịch sử" (every version received).

Links to Google Sheets are cell hyperlinks (not the HYPERLINK function), built only for docs.google.com
spreadsheets or bare spreadsheet ids. The sheet's gid is not known to the master, so a link to a cell uses
the ``#range='Sheet name'!A1`` fragment: Google Sheets opens the spreadsheet and, when it recognises the
range, selects that cell; otherwise it simply opens the spreadsheet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

from schemas import Rating

from .cells import HEADER_ROW, Book, CellItem, Sheet
from .data import MasterInput, UnitResult, UnitRow
from .form import annex_heading, finish_sheet
from .labels import SHEET_STATES, issue_label, local, sheet_state, short_revision, source_label, timeliness
from .sheets_scores import DETAIL_SHEET, DetailLayout, col
from .staff import appraisal_issue, check_appraisal

__all__ = [
    "ERROR_SHEET", "HISTORY_SHEET", "RECEIVED_HEADER", "STATUS_SHEET", "TIMELINESS_NOTE", "sheet_link", "sheet_message",
    "write_history", "write_status",
]

STATUS_SHEET = "Tình trạng nộp"
#: "Đúng hạn / Trễ hạn" is from when dvk first received the unit's first submission (the ledger), never a file's
#: date; "Thời điểm dvk nhận" is when it received the current version
RECEIVED_HEADER = "Thời điểm dvk nhận"
TIMELINESS_NOTE = ("Đúng hạn / Trễ hạn tính từ phiếu đầu tiên của đơn vị (đọc được, đã điền) theo thời điểm dvk nhận "
                   "được, không theo ngày sửa tệp; bản sửa gửi sau hạn vẫn giữ đúng hạn.")
ERROR_SHEET = "Lỗi"
HISTORY_SHEET = "Lịch sử"
_ID = re.compile(r"^[A-Za-z0-9_-]{20,}$")
_URL_ID = re.compile(r"^https://docs\.google\.com/spreadsheets/d/([A-Za-z0-9_-]{20,})")


def sheet_link(url_or_id: str | None, sheet: str | None = None, cell: str | None = None) -> str | None:
    """The https link to a unit's Google Sheet (and a cell of it), or None when it is not one."""
    if not url_or_id:
        return None
    text = url_or_id.strip()
    m = _URL_ID.match(text)
    sid = m.group(1) if m else (text if _ID.match(text) else None)
    if sid is None:
        return None
    url = f"https://docs.google.com/spreadsheets/d/{sid}/edit"
    if cell:
        where = f"'{sheet.replace(chr(39), chr(39) * 2)}'!{cell}" if sheet else cell
        url += "#range=" + quote(where, safe="!'")
    return url


def sheet_message(row: UnitRow) -> str:
    """What the "Thông báo" cell says of the current sheet: its first error (with the cell) or why it could not be
    read; then the notices of the unit's files. Never what the last pass changed (that is the console's)."""
    parts: list[str] = []
    errors = [i for i in row.issues if i.is_error]
    if errors:
        first = errors[0]
        where = f"{first.sheet}!{first.cell}: " if first.sheet and first.cell else ""
        more = f" (và {len(errors) - 1} lỗi khác)" if len(errors) > 1 else ""
        parts.append(f"{where}{first.message}{more}")
    elif sheet_state(row) == SHEET_STATES["unreadable"] and row.status_message:
        parts.append(row.status_message)
    parts.extend(row.notices)
    return "\n".join(p for p in parts if p)


def _status(book: Book, data: MasterInput, results: Sequence[UnitResult]) -> None:
    by_code = {res.code: res for res in results}
    google = any(sheet_link(r.sheet_url or r.unit.sheet) for r in data.units)
    headers = [
        "Mã đơn vị", "Tên đơn vị", "Nguồn", "Phiên bản", RECEIVED_HEADER, "Đúng hạn / Trễ hạn", "Tình trạng",
        "Số lỗi", "Số cảnh báo", "Thông báo",
    ]
    widths = [14, 24, 12, 8, 15, 17, 13, 6, 8, 30]
    if google:
        headers.append("Trang tính Google")
        widths.append(14)
    sheet = Sheet(book, STATUS_SHEET, widths)
    annex_heading(sheet, f"Tình trạng nộp phiếu tự đánh giá năm {data.year}", [
        f"{data.commune}, {data.province} · Hạn nộp {data.deadline:%d/%m/%Y} · Tình trạng tính đến ngày "
        f"{data.status_date:%d/%m/%Y} · Cập nhật lúc {data.generated_at:%d/%m/%Y %H:%M}",
        TIMELINESS_NOTE,
    ])
    sheet.header(headers)
    for unit_row in data.units:
        row = by_code[unit_row.code].row
        when = timeliness(row, data.deadline)
        status = sheet_state(row)
        message = sheet_message(row)
        cells: list[CellItem] = [
            sheet.cell(row.code),
            sheet.cell(row.unit.name),
            sheet.cell(source_label(row.source)),
            sheet.cell(row.version, "int"),
            sheet.cell(local(row.received_at), "datetime"),
            sheet.cell(when, "center" if when.startswith(("Đúng hạn", "Chưa nộp (còn hạn)")) else "warn"),
            sheet.cell(status, "center" if status == SHEET_STATES["valid"] else "warn"),
            sheet.cell(row.error_count, "int"),
            sheet.cell(row.warning_count, "int"),
            sheet.cell(message),
        ]
        if google:
            link = sheet_link(row.sheet_url or row.unit.sheet)
            cells.append(sheet.link("Mở trang tính", link) if link else sheet.cell(None))
        sheet.append(cells)
    finish_sheet(sheet, data.generated_at)


def _issues(book: Book, data: MasterInput, results: Sequence[UnitResult]) -> None:
    google = any(sheet_link(r.sheet_url or r.unit.sheet) for r in data.units)
    headers = ["Mã đơn vị", "Tên đơn vị", "Mức độ", "Trang", "Ô", "Tiêu chí", "Loại lỗi", "Nội dung",
               "Giá trị đã nhập", "Mã lỗi"]
    widths = [14, 24, 9, 14, 6, 7, 20, 50, 14, 11]
    if google:
        headers.append("Liên kết")
        widths.append(10)
    # "Mã lỗi" (dvk's English slug) is a working column for filters and scripts: hidden, so the printed annex
    # and the screen show only the Vietnamese "Loại lỗi" (new-commune review, defect 12)
    sheet = Sheet(book, ERROR_SHEET, widths, hidden=(headers.index("Mã lỗi"),))
    annex_heading(sheet, f"Các lỗi chưa sửa trong phiếu tự đánh giá năm {data.year}", [
        f"{data.commune}, {data.province}",
        "Mỗi dòng là một ô cần sửa trong phiếu của đơn vị (hoặc một ô thẩm định nhập chưa đúng trong tệp này).",
    ])
    sheet.header(headers)
    for notice in data.staff_notices:  # what the read-back of the previous master could not carry
        sheet.append([
            sheet.cell(None), sheet.cell(None), sheet.cell("Lỗi", "warn"), sheet.cell(DETAIL_SHEET), sheet.cell(None),
            sheet.cell(None), sheet.cell("Không đọc lại được"), sheet.cell(notice), sheet.cell(None),
            sheet.cell("staff-not-read-back", "muted"), *([sheet.cell(None)] if google else []),
        ])
    layout = DetailLayout(data.rubric, len(results), data.preset)
    index = {c.code: i for i, c in enumerate(data.rubric.criteria)}
    at = {res.code: n for n, res in enumerate(results)}
    names = {row.code: row.unit.name for row in data.units}
    for conflict in data.staff_conflicts:  # two files edited the same staff cell differently: both shown
        n = at.get(conflict.unit_code)
        column = layout.note_col if conflict.criterion is None else layout.appraisal_col(index.get(conflict.criterion, 0))
        sheet.append([
            sheet.cell(conflict.unit_code), sheet.cell(names.get(conflict.unit_code, "")), sheet.cell("Lỗi", "warn"),
            sheet.cell(DETAIL_SHEET), sheet.cell(f"{col(column)}{HEADER_ROW + 1 + n}" if n is not None else None, "center"),
            sheet.cell(conflict.criterion, "center"), sheet.cell(issue_label("staff-conflict")),
            sheet.cell(conflict.message),
            sheet.cell(" | ".join(f"{name}: {value or '(để trống)'}" for name, value in conflict.values)),
            sheet.cell("staff-conflict", "muted"), *([sheet.cell(None)] if google else []),
        ])
    for n, res in enumerate(results):
        row = res.row
        issues = list(row.issues)
        for code, raw in res.invalid.items():
            cell = f"{col(layout.appraisal_col(index[code]))}{HEADER_ROW + 1 + n}"
            criterion = data.rubric.criterion(code)
            slug = check_appraisal(criterion, raw)[1] or "appraisal-not-a-number"
            issues.append(appraisal_issue(criterion, raw, slug, res.code, cell))
        for issue in issues:
            value = issue.value
            cells: list[CellItem] = [
                sheet.cell(row.code),
                sheet.cell(row.unit.name),
                sheet.cell("Lỗi" if issue.is_error else "Cảnh báo", "warn" if issue.is_error else "center"),
                sheet.cell(issue.sheet),
                sheet.cell(issue.cell, "center"),
                sheet.cell(issue.criterion, "center"),
                sheet.cell(issue_label(issue.code)),
                sheet.cell(issue.message),
                sheet.cell(None if value is None else str(value)),
                sheet.cell(issue.code, "muted"),
            ]
            if google:
                link = None if issue.sheet == DETAIL_SHEET else sheet_link(row.sheet_url or row.unit.sheet, issue.sheet, issue.cell)
                cells.append(sheet.link("Mở ô", link) if link else sheet.cell(None))
            sheet.append(cells)
    finish_sheet(sheet, data.generated_at)


def _history(book: Book, data: MasterInput) -> None:
    headers = ["Mã đơn vị", "Tên đơn vị", "Phiên bản", "Nguồn", "Mã phiên bản nguồn", RECEIVED_HEADER, "Tổng điểm",
               "Xếp loại", "Số lỗi"]
    sheet = Sheet(book, HISTORY_SHEET, [14, 26, 8, 14, 16, 15, 9, 20, 7])
    annex_heading(sheet, f"Lịch sử các phiên bản phiếu đã nhận năm {data.year}", [f"{data.commune}, {data.province}"])
    sheet.header(headers)
    names = {row.code: row.unit.name for row in data.units}
    order = {row.code: i for i, row in enumerate(data.units)}
    for h in sorted(data.history, key=lambda h: (order.get(h.unit_code, len(order)), h.unit_code, h.version)):
        rating = Rating(h.rating).label if h.rating and h.rating in Rating.__members__ else (h.rating or "")
        sheet.append(
            [
                sheet.cell(h.unit_code),
                sheet.cell(names.get(h.unit_code, "")),
                sheet.cell(h.version, "int"),
                sheet.cell(source_label(h.source)),
                sheet.cell(short_revision(h.revision)),
                sheet.cell(local(h.received_at), "datetime"),
                sheet.cell(h.total, "num"),
                sheet.cell(rating, "center"),
                sheet.cell(h.error_count, "int"),
            ]
        )
    finish_sheet(sheet, data.generated_at)


def write_status(book: Book, data: MasterInput, results: Sequence[UnitResult]) -> None:
    """"Tình trạng nộp" and "Lỗi" (units in the order of ``results``)."""
    _status(book, data, results)
    _issues(book, data, results)


def write_history(book: Book, data: MasterInput) -> None:
    _history(book, data)
