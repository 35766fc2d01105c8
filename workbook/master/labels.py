"""Vietnamese labels the master shows for codes of the input (sources, statuses), and date helpers."""

from __future__ import annotations

import datetime as dt

from .data import UnitRow

__all__ = [
    "ISSUE_LABELS", "SOURCE_LABELS", "STATUS_LABELS", "issue_label", "local", "short_revision", "source_label", "timeliness",
]

SOURCE_LABELS = {"folder": "Thư mục tệp Excel", "google": "Google Sheets"}
STATUS_LABELS = {
    "ok": "Hợp lệ",
    "invalid": "Có lỗi cần sửa",
    "error": "Không đọc được",
    "missing": "Chưa nộp",
    "unchanged": "Không thay đổi",
    "pending": "Chưa nộp (còn hạn)",
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
    "not-a-spreadsheet": "Không phải bảng tính",
    # the staff reader (workbook/master/staff.py)
    "appraisal-not-a-number": "Điểm thẩm định không phải là số",
    "appraisal-out-of-range": "Điểm thẩm định ngoài khoảng",
    "duplicate-unit-row": "Dòng đơn vị bị trùng",
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


def timeliness(row: UnitRow, deadline: dt.date) -> str:
    """"Đúng hạn", "Trễ hạn N ngày" (the local date received vs the deadline), "Không đọc được" or "Chưa nộp"."""
    if row.status == "pending":
        return "Chưa nộp (còn hạn)"
    if row.status == "error" and row.version is None:  # a file came (or the sheet exists) but could not be read
        return "Không đọc được"
    if row.received_at is None or row.version is None:
        return "Chưa nộp"
    received = local(row.received_at)
    assert received is not None
    late = (received.date() - deadline).days
    return "Đúng hạn" if late <= 0 else f"Trễ hạn {late} ngày"


def short_revision(revision: str | None) -> str | None:
    """A content hash as people quote it (its first 12 hex digits, like git); other revisions as they are."""
    if revision and len(revision) >= 40 and all(c in "0123456789abcdef" for c in revision.lower()):
        return revision[:12]
    return revision
