"""Shared cell styles of dvk workbooks: fonts, fills, borders, and sheet print/protection helpers."""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook import Workbook
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "BODY",
    "BOLD",
    "BORDER",
    "CENTER",
    "DEFAULT_FONT",
    "FONT_NAME",
    "HEADER_FILL",
    "INPUT_FILL",
    "LOCKED",
    "MUTED_FILL",
    "NOTE",
    "OUTPUT_FILL",
    "SMALL",
    "SUBTITLE",
    "TITLE",
    "UNLOCKED",
    "WRAP",
    "column_points",
    "estimate_lines",
    "fast_styles",
    "print_setup",
    "printable",
    "protect",
    "row_height",
]

FONT_NAME = "Times New Roman"  # a Unicode font every office suite has; Vietnamese government documents use it
TITLE = Font(name=FONT_NAME, size=14, bold=True)
SUBTITLE = Font(name=FONT_NAME, size=12, bold=True)
BODY = Font(name=FONT_NAME, size=12)
BOLD = Font(name=FONT_NAME, size=12, bold=True)
NOTE = Font(name=FONT_NAME, size=11, italic=True, color="595959")
SMALL = Font(name=FONT_NAME, size=11)  # table cells (OFFICE.md: 11–13 pt in tables)
#: The workbook's default (Normal) font; 11 pt so column widths keep their usual size in characters.
DEFAULT_FONT = Font(name=FONT_NAME, size=11)

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: the unit types here
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
OUTPUT_FILL = PatternFill("solid", fgColor="E2EFDA")  # light green: computed by a formula
MUTED_FILL = PatternFill("solid", fgColor="EDEDED")  # grey: nothing to type in this slot

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)


class _SeenStyles(IndexedList):
    """openpyxl's list of a workbook's fonts (fills, borders …) that knows a style object it has seen by identity.

    Setting ``cell.font = BODY`` hashes the whole font three times (openpyxl hashes every attribute, recursively,
    each time): two thirds of the time to write a template went there. dvk's styles are module constants, never
    changed once made, so the index found for an object stays right; a new object is looked up as before."""

    def __init__(self, iterable: Any = None) -> None:
        super().__init__(iterable)
        self._seen: dict[int, tuple[Any, int]] = {}

    def add(self, value: Any) -> int:
        hit = self._seen.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        index: int = super().add(value)
        self._seen[id(value)] = (value, index)  # the reference keeps the id from being reused
        return index


def fast_styles(wb: Workbook) -> Workbook:
    """``wb`` with style lists that find a style object already used without hashing it again (same file)."""
    for name in ("_fonts", "_fills", "_borders", "_alignments", "_protections"):
        setattr(wb, name, _SeenStyles(getattr(wb, name)))
    return wb


def estimate_lines(text: str, width: float, size: float = 12, *, bold: bool = False) -> int:
    """How many lines ``text`` takes in a wrapped column ``width`` characters wide at ``size`` pt (generous):
    words wrap whole, a word longer than a line is cut."""
    per_line = max(int(width * 0.92 * 12 / size * (0.85 if bold else 1)), 1)
    total = 0
    for part in str(text).split("\n"):
        lines, used = 1, 0
        for word in part.split():
            n = len(word)
            if used and used + 1 + n > per_line:
                lines, used = lines + 1, 0
            if n > per_line:
                lines += (n - 1) // per_line
                n = n % per_line or per_line
            used = n if not used else used + 1 + n
        total += lines
    return total


def row_height(lines: int, size: float = 12) -> float:
    """A row height (points) for ``lines`` wrapped lines of ``size`` pt text, with room for LibreOffice's leading."""
    return round(lines * size * 1.25 + 5, 1)


#: Printable width and height (points) of A4 inside the margins below, by orientation.
_MM = 72 / 25.4
MARGINS_MM = {"portrait": (30, 15, 20, 20), "landscape": (25, 15, 20, 20)}  # left, right, top, bottom


def printable(landscape: bool) -> tuple[float, float]:
    left, right, top, bottom = MARGINS_MM["landscape" if landscape else "portrait"]
    w, h = (297, 210) if landscape else (210, 297)
    return (w - left - right) * _MM, (h - top - bottom) * _MM


def column_points(width: float) -> float:
    """The printed width (points, at 100 %) of a column ``width`` characters wide (7 px per character + 5 px)."""
    return (int(width * 7 + 0.5) + 5) * 0.75


def print_setup(
    ws: Worksheet,
    *,
    landscape: bool,
    title_rows: str | None = None,
    title_cols: str | None = None,
    scale: int = 100,
) -> None:
    """A4 at a fixed ``scale`` (never shrunk to fit: text stays ≥ 8 pt), margins after Nghị định 30/2020,
    repeated header rows/columns, and the page number centred at the top from the second page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.scale = scale
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    left, right, top, bottom = (mm / 25.4 for mm in MARGINS_MM["landscape" if landscape else "portrait"])
    ws.page_margins = PageMargins(left=left, right=right, top=top, bottom=bottom, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = False
    ws.HeaderFooter.differentFirst = True
    ws.oddHeader.center.text = "&P"
    ws.oddHeader.center.font = f"{FONT_NAME},Regular"
    ws.oddHeader.center.size = 13
    ws.evenHeader.center.text = "&P"
    ws.evenHeader.center.font = f"{FONT_NAME},Regular"
    ws.evenHeader.center.size = 13
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols


def protect(ws: Worksheet) -> None:
    """Protect the sheet without a password; unlocked (input) cells stay editable, columns and rows resizable."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.formatCells = True
    p.insertRows = True
    p.deleteRows = True
    p.insertColumns = True
    p.deleteColumns = True
    p.selectLockedCells = False
    p.selectUnlockedCells = False
