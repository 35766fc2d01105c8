"""Print planning of the template on A4: the scale a sheet prints at, where a wide sheet breaks across pages,
and whether a block (totals, signature) must start on a new page so it never breaks.

The rule (issue 9, OFFICE.md): no text under 8 pt after scaling, so a sheet is never shrunk to one page wide.
A sheet prints at the largest scale from ``SCALES`` at which it fits the page width; one too wide even at the
smallest prints across pages at ``WIDE_SCALE`` with its first columns repeated (print-title columns) and a
manual column break between whole columns. Widths and heights are those the writers set, measured as Excel
and LibreOffice print them (a character is 7 px at 96 dpi, plus 5 px of padding per column).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from openpyxl.worksheet.pagebreak import Break, ColBreak, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from .styles import column_points, printable

__all__ = [
    "MIN_PRINTED_PT",
    "SCALES",
    "WIDE_SCALE",
    "column_pages",
    "fit_scale",
    "keep_block_together",
    "set_column_breaks",
]

#: The smallest printed text size allowed (points, after scaling).
MIN_PRINTED_PT = 8.0
#: Scales tried, largest first; the smallest keeps 11 pt text at 8.25 pt.
SCALES = (100, 95, 90, 85, 80, 75)
#: The scale of a sheet printed across several pages wide.
WIDE_SCALE = 80
#: Room kept free on a page for what the estimates miss (font substitution, rounding).
_SAFETY = 0.97


def _width(widths: Sequence[float]) -> float:
    return sum(column_points(w) for w in widths)


def fit_scale(widths: Sequence[float], *, landscape: bool) -> int | None:
    """The largest scale of ``SCALES`` at which columns of ``widths`` fit one page wide, or None."""
    page_w, _ = printable(landscape)
    need = _width(widths)
    for scale in SCALES:
        if need * scale / 100 <= page_w * _SAFETY:
            return scale
    return None


def column_pages(
    widths: Sequence[tuple[str, float]], *, titles: int, landscape: bool, scale: int = WIDE_SCALE
) -> list[str]:
    """The last column letter of each printed page across, for columns ``widths`` (letter, width) whose
    first ``titles`` columns repeat on every page."""
    page_w, _ = printable(landscape)
    room = page_w * _SAFETY * 100 / scale - _width([w for _, w in widths[:titles]])
    pages: list[str] = []
    used = 0.0
    last = ""
    for letter, w in widths[titles:]:
        pts = column_points(w)
        if last and used + pts > room:
            pages.append(last)
            used = 0.0
        used += pts
        last = letter
    pages.append(last)
    return pages


def set_column_breaks(ws: Worksheet, pages: Sequence[str]) -> None:
    """Manual column breaks after the last column of each page but the final one."""
    from openpyxl.utils.cell import column_index_from_string

    breaks = ColBreak()
    for letter in pages[:-1]:
        breaks.append(Break(id=column_index_from_string(letter)))
    ws.col_breaks = breaks


def keep_block_together(
    ws: Worksheet,
    heights: Mapping[int, float],
    *,
    first_row: int,
    block: tuple[int, int],
    repeated: float,
    landscape: bool,
    scale: int,
    default_height: float = 15.0,
) -> bool:
    """Put a manual page break before rows ``block`` (first, last) when the pages before would leave too
    little room for it, so the block prints on one page. ``repeated`` is the height of the rows repeated at
    the top of every page but the first. Returns whether a break was set."""
    _, page_h = printable(landscape)
    room = page_h * _SAFETY * 100 / scale
    used = 0.0
    start, end = block
    for row in range(first_row, start):
        h = heights.get(row, default_height)
        if used + h > room:
            used = repeated
        used += h
    need = sum(heights.get(row, default_height) for row in range(start, end + 1))
    if used + need <= room:
        return False
    breaks = RowBreak()
    breaks.append(Break(id=start - 1))
    ws.row_breaks = breaks
    return True
