"""``write_master``: the year's master workbook, written with XlsxWriter (cached values) and saved atomically."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from .atomic import Fingerprint, save_atomic
from .cells import Book
from .charts import write_charts
from .data import MasterInput, StaffEdits, UnitResult, WriteResult
from .form import letterhead_for, reference_line
from .scores import compute
from .sheets_entries import write_entries
from .sheets_scores import write_detail, write_summary
from .sheets_status import write_history, write_status
from .written import STAMP_PROPERTY, written_cells

__all__ = ["SHEETS", "build_master", "no_gc_pauses", "write_master"]

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


@contextmanager
def no_gc_pauses() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a workbook is built and saved.

    Scoring and writing allocate millions of small objects without cycles (fractions, score cards, cells),
    and every few thousand allocations the collector would walk all live objects, the whole input included:
    a third of the scoring time at 3,000 units. Their memory is freed by reference counting as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_master(data: MasterInput, staff: StaffEdits | None = None) -> tuple[Book, tuple[UnitResult, ...]]:
    """The master as an unsaved workbook (``Book.save(path)`` writes it once), and the unit results (ranked)."""
    with no_gc_pauses():
        return _build(data, staff)


def _build(data: MasterInput, staff: StaffEdits | None) -> tuple[Book, tuple[UnitResult, ...]]:
    results = compute(data, staff)
    letterhead = letterhead_for(data.letterhead, data.commune, data.province)
    book = Book(
        letterhead,
        title=f"Tổng hợp Dân vận khéo {data.year} – {data.commune}",
        reference=reference_line(letterhead, data.report_number, data.report_date),
    )
    write_summary(book, data, results)
    write_detail(book, data, results)
    write_entries(book, data, results)
    write_status(book, data, results)
    write_charts(book, data, results)
    write_history(book, data)
    return book, results


def write_master(
    path: Path,
    data: MasterInput,
    *,
    staff: StaffEdits | None = None,
    stamp: str | None = None,
    expected: Mapping[Path, Fingerprint | None] | None = None,
    beside: bool = False,
    before_replace: Callable[[Path], None] | None = None,
) -> WriteResult:
    """Write the master of ``data`` to ``path`` (atomically; beside it when it is open in Excel).

    ``staff``: the edits read from the existing master just before (``read_staff_edits``); they win over
    ``data.appraisals`` for every cell the file has, and are written back into the new file.
    ``stamp``: the write id put in the file (``written.STAMP_PROPERTY``); the result's ``written`` is what its
    staff cells hold, for the caller to record under it. ``expected``, ``beside``, ``before_replace``: see
    ``save_atomic`` (a file saved by a person meanwhile is not replaced: ``MasterChanged``).
    """
    with no_gc_pauses():
        book, results = build_master(data, staff)
        if stamp is not None:
            book.set_stamp(STAMP_PROPERTY, stamp)
        written, message = save_atomic(
            book.save, Path(path), when=data.generated_at, expected=expected, beside=beside,
            before_replace=before_replace,
        )
    return WriteResult(path=written, requested=Path(path), message=message, results=results, stamp=stamp,
                       written=written_cells(results))
