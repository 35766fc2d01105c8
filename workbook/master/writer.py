"""``write_master``: the year's master workbook, written in write-only mode and saved atomically."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from .atomic import save_atomic
from .cells import Sheet
from .charts import write_charts
from .data import MasterInput, StaffEdits, UnitResult, WriteResult
from .scores import compute
from .sheets_entries import write_entries
from .sheets_scores import write_detail, write_summary
from .sheets_status import write_history, write_status

__all__ = ["SHEETS", "build_master", "write_master"]

#: The sheets of the master, in order.
SHEETS: tuple[str, ...] = (
    "Tổng hợp",
    "Chi tiết tiêu chí",
    "Mô hình",
    "Điển hình",
    "Đề nghị khen thưởng",
    "Tình trạng nộp",
    "Lỗi",
    "Biểu đồ",
    "Lịch sử",
)


def build_master(data: MasterInput, staff: StaffEdits | None = None) -> tuple[Workbook, tuple[UnitResult, ...]]:
    """The master as an unsaved write-only workbook, and the computed unit results (ranked)."""
    results = compute(data, staff)
    wb = Workbook(write_only=True)
    summary: Sheet = write_summary(wb, None, data, results)
    styles = summary.styles
    write_detail(wb, styles, data, results)
    write_entries(wb, styles, data, results)
    write_status(wb, styles, data, results)
    write_charts(wb, styles, data, results)
    write_history(wb, styles, data)
    wb.properties.title = f"Tổng hợp Dân vận khéo {data.year} – {data.commune}"
    wb.properties.creator = "dvk"
    return wb, results


def write_master(path: Path, data: MasterInput, *, staff: StaffEdits | None = None) -> WriteResult:
    """Write the master of ``data`` to ``path`` (atomically; beside it when it is open in Excel).

    ``staff``: the edits read from the existing master just before (``read_staff_edits``); they win over
    ``data.appraisals`` for every cell the file has, and are written back into the new file.
    """
    wb, results = build_master(data, staff)
    written, message = save_atomic(wb.save, Path(path), when=data.generated_at)
    return WriteResult(path=written, requested=Path(path), message=message, results=results)
