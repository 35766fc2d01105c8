"""Vietnamese labels the master shows for codes of the input (sources, statuses), and date helpers."""

from __future__ import annotations

import datetime as dt

from .data import UnitRow

__all__ = ["SOURCE_LABELS", "STATUS_LABELS", "local", "source_label", "timeliness"]

SOURCE_LABELS = {"folder": "Thư mục tệp Excel", "google": "Google Sheets"}
STATUS_LABELS = {
    "ok": "Hợp lệ",
    "invalid": "Có lỗi cần sửa",
    "error": "Không đọc được",
    "missing": "Chưa nộp",
    "unchanged": "Không thay đổi",
}


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
    """"Đúng hạn", "Trễ hạn N ngày" (the local date received vs the deadline) or "Chưa nộp"."""
    if row.received_at is None or row.version is None:
        return "Chưa nộp"
    received = local(row.received_at)
    assert received is not None
    late = (received.date() - deadline).days
    return "Đúng hạn" if late <= 0 else f"Trễ hạn {late} ngày"
