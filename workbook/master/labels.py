"""Vietnamese labels the master shows for codes of the input (sources, statuses), and the status rules.

One vocabulary for every output (master, phase review, documents), stated at an as-of date:

* the state of the unit's **current sheet** (``sheet_state``): Hợp lệ / Có lỗi / Chưa nộp / Không đọc được /
  Chờ xác nhận — never what the last pass changed ("Không thay đổi" is a console word);
* **timeliness** (``timeliness``): "Đúng hạn" or "Trễ hạn N ngày" from the unit's *first* submission
  (``UnitRow.first_received_at``), with "(bản sửa ngày dd/mm/yyyy)" when the current version is a later
  correction; "Chưa nộp (còn hạn)" until the deadline, "Chưa nộp" after it; "Không đọc được", "Chờ xác nhận";
* units **not rated** (``UNRATED``): nothing yet before the deadline, a held file, an unreadable file.
"""

from __future__ import annotations

import datetime as dt

from schemas.receipt import days_late

from .data import UnitRow

__all__ = [
    "ISSUE_LABELS", "SHEET_STATES", "SOURCE_LABELS", "STATUS_LABELS", "UNRATED", "first_receipt", "issue_label", "local",
    "sheet_state", "short_revision", "source_label", "timeliness", "timely", "unrated_label",
]

SOURCE_LABELS = {"folder": "Thư mục tệp Excel", "google": "Google Sheets"}
#: The state of a unit's current sheet, as printed ("Tình trạng" of “Tình trạng nộp”).
SHEET_STATES = {
    "valid": "Hợp lệ",
    "errors": "Có lỗi",
    "missing": "Chưa nộp",
    "unreadable": "Không đọc được",
    "held": "Chờ xác nhận",
}
#: Why a unit is not rated, as printed in the rating column (by ``UnitRow.status``).
UNRATED = {
    "pending": "Chưa nộp (còn hạn)",
    "held": "Chờ xác nhận",
    "error": "Chưa xếp loại – tệp không đọc được",
}
STATUS_LABELS = {  # the statuses of the input, for texts that name them
    "ok": "Hợp lệ",
    "invalid": "Có lỗi",
    "error": "Không đọc được",
    "missing": "Chưa nộp",
    "unchanged": "Không thay đổi",
    "pending": UNRATED["pending"],
    "held": "Chờ xác nhận",
}

#: What each issue code means, in Vietnamese, for the "Lỗi" sheet (the code itself stays in JSON output).
ISSUE_LABELS = {
    "too-large": "Tệp quá lớn",
    # schemas/validate.py
    "error-value": "Ô đang báo lỗi công thức",
    "not-an-integer": "Cần số nguyên",
    "invalid-date": "Ngày không hợp lệ",
    "value-not-a-number": "Không phải là số",
    "text-not-nfc": "Chữ tiếng Việt chưa chuẩn hóa",
    "negative-value": "Số âm",
    "percent-as-number": "Tỉ lệ nhập thành số",
    "unknown-level": "Mức không có trong danh sách",
    "level-corrected": "Mức đã được hiểu lại",
    "level-not-counted": "Mức công thức trong phiếu không đọc được",
    "required-missing": "Chưa nhập",
    "sample-too-small": "Số phiếu khảo sát quá ít",
    "target-not-positive": "Chỉ tiêu không dương",
    "result-exceeds-due": "Kết quả vượt số phải làm",
    "unknown-unit": "Mã đơn vị không có trong danh sách",
    "year-out-of-range": "Năm ngoài giai đoạn",
    "models-table-empty": "Chưa kê khai mô hình",
    "unit-mismatch": "Mã và tên đơn vị không khớp",
    "bonus-not-recognised": "Điểm thưởng không có mô hình được công nhận",
    "bonus-below-recognised": "Điểm thưởng khai ít hơn mô hình được công nhận",
    # workbook/reader.py
    "sheet-missing": "Thiếu trang tính",
    "formula-in-input": "Công thức trong ô nhập",
    "legacy-encoding-converted": "Đã chuyển phông chữ cũ",
    "legacy-encoding-suspected": "Nghi dùng phông chữ cũ",
    "merged-input-cell": "Ô nhập bị gộp",
    "template-version-mismatch": "Mẫu phiếu khác phiên bản",
    "template-version-missing": "Không rõ phiên bản mẫu",
    "number-as-text": "Số nhập dạng chữ",
    # workbook/preflight.py
    "not-found": "Không tìm thấy tệp",
    "unreadable": "Không mở được tệp",
    "empty": "Tệp rỗng",
    "encrypted": "Tệp có mật khẩu",
    "legacy-xls": "Định dạng Excel cũ (.xls)",
    "not-a-zip": "Không phải tệp Excel",
    "bad-zip": "Tệp bị hỏng",
    "zip-bomb": "Tệp bất thường (quá lớn)",
    "xml-entities": "Tệp chứa thực thể XML",
    "absurd-dimension": "Vùng dữ liệu bất thường",
    "too-many-strings": "Quá nhiều chuỗi chữ trong tệp",
    "not-a-spreadsheet": "Không phải bảng tính",
    # the staff reader (workbook/master/staff.py)
    "appraisal-not-a-number": "Điểm thẩm định không phải là số",
    "appraisal-out-of-range": "Điểm thẩm định ngoài khoảng",
    "duplicate-unit-row": "Dòng đơn vị bị trùng",
    "staff-conflict": "Hai tệp sửa khác nhau",
}


def issue_label(code: str) -> str:
    """The Vietnamese label of an issue code (a code nobody labelled yet is shown as it is)."""
    return ISSUE_LABELS.get(code, code)


def local(when: dt.datetime | None) -> dt.datetime | None:
    """A naive local time for a cell (Excel has no time zones): aware times are converted to this machine's zone."""
    if when is None or when.tzinfo is None:
        return when
    return when.astimezone().replace(tzinfo=None)


def source_label(source: str | None) -> str:
    if source is None:
        return ""
    return SOURCE_LABELS.get(source, source)


def unrated_label(row: UnitRow) -> str | None:
    """Why a unit without a usable submission is not rated (None: it is rated, KHT when nothing came)."""
    if row.submission is not None or row.version is not None:
        return None
    return UNRATED.get(row.status)


def sheet_state(row: UnitRow) -> str:
    """The state of the unit's current sheet: Hợp lệ / Có lỗi / Chưa nộp / Không đọc được / Chờ xác nhận."""
    if row.version is not None or row.submission is not None:
        return SHEET_STATES["errors" if row.error_count else "valid"]
    if row.status == "held" or (row.waiting and row.status in ("missing", "pending")):
        return SHEET_STATES["held"]
    if row.status == "error":
        return SHEET_STATES["unreadable"]
    return SHEET_STATES["missing"]


def first_receipt(row: UnitRow) -> dt.datetime | None:
    """When the unit's first submission reached dvk (``UnitRow.first_received_at``; else the current version's
    time when the unit sent a filled sheet), or None."""
    if row.first_received_at is not None:
        return row.first_received_at
    if row.version is not None and row.filled:
        return row.received_at
    return None


def timely(row: UnitRow, deadline: dt.date) -> bool | None:
    """On time (the first submission by the deadline day), late, or None when nothing counts yet."""
    first = local(first_receipt(row))
    return None if first is None else days_late(first.date(), deadline) <= 0


def timeliness(row: UnitRow, deadline: dt.date) -> str:
    """"Đúng hạn" / "Trễ hạn N ngày" from the first submission, "(bản sửa ngày …)" when the current version is a
    later correction; else "Chưa nộp (còn hạn)", "Chưa nộp", "Không đọc được" or "Chờ xác nhận"."""
    first = local(first_receipt(row))
    if first is None:
        state = sheet_state(row)
        if state in (SHEET_STATES["unreadable"], SHEET_STATES["held"]):
            return state
        return UNRATED["pending"] if row.status == "pending" else SHEET_STATES["missing"]
    late = days_late(first.date(), deadline)
    text = "Đúng hạn" if late <= 0 else f"Trễ hạn {late} ngày"
    current = local(row.received_at)
    if current is not None and row.version is not None and current > first:
        text += f" (bản sửa ngày {current:%d/%m/%Y})"
    return text


def short_revision(revision: str | None) -> str | None:
    """A content hash as people quote it (its first 12 hex digits, like git); other revisions as they are."""
    if revision and len(revision) >= 40 and all(c in "0123456789abcdef" for c in revision.lower()):
        return revision[:12]
    return revision
